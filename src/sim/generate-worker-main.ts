/** Body of a generation worker: receives episode indices, replies with generated episodes. */
import { parentPort, workerData } from 'node:worker_threads';
import { generateOne, type GenerateOptions } from './generate.ts';
import type { TabletopEnv } from './tabletop.ts';
import type { TaskKind } from './tasks.ts';

const opts = workerData as GenerateOptions;
const envs = new Map<TaskKind, TabletopEnv>();
parentPort!.on('message', (index: number) => {
  try {
    const result = generateOne(opts, index, envs);
    const ep = result.episode;
    const transfer = [...Object.values(ep.cameras).flatMap((c) => c.frames.map((f) => f.buffer)), ...(ep.actions ?? []).map((a) => a.buffer), ...(ep.states ?? []).map((s) => s.buffer)];
    parentPort!.postMessage({ index, result }, transfer as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ index, error: (e as Error).message });
  }
});
