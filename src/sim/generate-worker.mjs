// Worker-thread entry for src/sim/generate.ts: registers the TypeScript loader (workers do not
// inherit the main thread's), then serves episode indices.
import { register } from 'tsx/esm/api';
register();
await import('./generate-worker-main.ts');
