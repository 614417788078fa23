import { run } from './payments.bench.ts';
await run();
