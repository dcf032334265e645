/**
 * Success rate of a BC policy folder in the tabletop simulator, in the settings its dataset was
 * generated with, with 95% Wilson and Clopper-Pearson intervals (seeds SEED.., 80-step limit).
 *   node bin/run-ts.mjs scripts/eval-bc.ts POLICY DATASET TASK [EPISODES=100] [SEED=100000]
 */
import { initBackend } from '../src/backend/select.ts';
import { BcAgent } from '../src/agent/bc.ts';
import { Policy } from '../src/policy/policy.ts';
import { loadRobot } from '../src/robot/load.ts';
import { evaluateAgent } from '../src/eval/evaluate.ts';
import { simSettingsOf, tabletopEnvs } from '../src/eval/tabletop.ts';
const [pol, data, task, eps, seed] = process.argv.slice(2) as string[];
await initBackend('wasm');
const robot = loadRobot('tabletop-sim');
const envs = tabletopEnvs(robot, { ...simSettingsOf(data!), maxSteps: 80 });
const r = await evaluateAgent(envs.envFor, new BcAgent(Policy.load(pol!), robot, 'bc'), { tasks: [task!], episodes: Number(eps ?? 100), seed: Number(seed ?? 100000), maxSteps: 80 });
const o = r.overall;
console.log(`${task}: ${o.successes}/${o.episodes} = ${(100 * o.wilson.rate).toFixed(1)}% (95% Wilson [${(100 * o.wilson.lo).toFixed(1)}, ${(100 * o.wilson.hi).toFixed(1)}], Clopper-Pearson [${(100 * o.exact.lo).toFixed(1)}, ${(100 * o.exact.hi).toFixed(1)}]), mean steps ${o.meanSteps.toFixed(1)}`);
