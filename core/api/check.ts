import { z } from 'zod';
import { DomainError, type ErrorBody } from './envelope.ts';
import { parseInput } from './execute.ts';
import { lookUp, query, type AnyOperation } from './operation.ts';

/**
 * The contract's judgment of an input, without running anything. A form whose own checks already fail sends
 * nothing to be saved, yet asks this for the core's other refusals, so that one « Enregistrer » shows every
 * mistake of a file rather than one round per mistake. The registry is passed lazily: it includes this.
 */
export const checkOperations = (registry: () => Readonly<Record<string, AnyOperation>>) => ({
  'contract.check': query({
    // Reads no data and writes nothing: any form may ask, the first administrator’s included.
    permission: 'public',
    label: 'Vérification d’une saisie',
    input: z.object({ operation: z.string().min(1).max(100), input: z.unknown() }),
    async run(_ctx, { operation, input }): Promise<{ error: ErrorBody | null }> {
      const operations = registry();
      const op = lookUp(operations, operation);
      if (!op) throw new DomainError('UNKNOWN_OPERATION', `Opération inconnue : « ${operation} ».`);
      const parsed = parseInput(operation, op, input);
      return { error: parsed.ok ? null : parsed.answer.error };
    },
  }),
});
