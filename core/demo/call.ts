import type { InputOf, OperationName, OutputOf } from '../contract.ts';
import type { Core } from '../app.ts';

/** A contract call that throws on a refusal: a demo the core refuses is a bug of the demo, said in French. */
export type Call = <N extends OperationName>(name: N, input: InputOf<N>) => Promise<OutputOf<N>>;

export function callerOf(core: Core, who = ''): Call {
  return async (name, input) => {
    const r = await core.invoke(name, input);
    if (!r.ok)
      throw new Error(`Démonstration : ${name}${who ? ` (${who})` : ''} refusé : ${r.error.message}`);
    return r.data as OutputOf<typeof name>;
  };
}
