/**
 * `lara eval agent --agent agents/<name> --robot tabletop-sim --episodes 100`: success of the
 * latent agent vs random, scripted expert, BC oracle and BC on the same N (comparison table with
 * 95% intervals), optionally the sweep over N and the policy-vs-LAM code confusion matrix.
 */
import type { Argv, CommandModule } from 'yargs';
import { backendOption } from '../backend/select.ts';
import { readAgentSpec } from '../agent/bundle.ts';
import { MappingSchema } from '../mapping/config.ts';
import { readPolicyMeta } from '../policy/io.ts';
import { loadRobot } from '../robot/load.ts';
import { evaluateAgentPlan } from '../eval/compare.ts';
import { comparisonMarkdown } from '../eval/table.ts';
import { LaraError } from '../util/errors.ts';
import { setBackend } from '../world/run.ts';
import { simSettingsOf } from '../eval/tabletop.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveRunConfig } from './options.ts';

interface Args {
  agent: string;
  robot: string;
  episodes: number;
  task?: string;
  seed: number;
  'max-steps'?: number;
  size?: number;
  'sim-from'?: string;
  'bc-oracle'?: string;
  bc?: string;
  random: boolean;
  scripted: boolean;
  sweep?: string;
  data?: string;
  'bc-sweep'?: string;
  'mapping-preset'?: string;
  confusion: boolean;
  out: string;
  backend: string;
}

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

export const evalAgentCommand: CommandModule<object, Args> = {
  command: 'agent',
  describe: 'Evaluate a latent agent against baselines in the tabletop simulator',
  builder: (y: Argv) =>
    y
      .option('agent', { type: 'string', demandOption: true, describe: 'agent folder (agents/<name>)' })
      .option('robot', { type: 'string', default: 'tabletop-sim', describe: 'simulated robot (its simulator must be "tabletop")' })
      .option('episodes', { type: 'number', default: 100, describe: 'episodes per task' })
      .option('task', { type: 'string', describe: "task kinds, comma separated (reach, push, pick-place; default: the bundle's eval.task, else push)" })
      .option('seed', { type: 'number', default: 100000, describe: 'seed of episode 0 (episode i uses seed + i, the same for every agent)' })
      .option('max-steps', { type: 'number', describe: "step limit per episode (default: the bundle's eval.maxSteps, else 80)" })
      .option('size', { type: 'number', describe: "image size (default: the agent policy's)" })
      .option('sim-from', { type: 'string', describe: "dataset whose simulator settings (blocks, zones, size...) to evaluate in (default: --data, else the bundle's eval.sim)" })
      .option('bc-oracle', { type: 'string', describe: 'BC policy folder trained on every native action' })
      .option('bc', { type: 'string', describe: 'BC policy folder trained on the same N labelled transitions' })
      .option('random', { type: 'boolean', default: true, describe: 'include the random-action baseline (--no-random to skip)' })
      .option('scripted', { type: 'boolean', default: true, describe: 'include the scripted expert (--no-scripted to skip)' })
      .option('sweep', { type: 'string', describe: 'N values to sweep, e.g. 25,50,100,200,1000 (needs --data)' })
      .option('data', { type: 'string', describe: 'LAM-labelled dataset with actions (sweep mappings; confusion matrix on its val split)' })
      .option('bc-sweep', { type: 'string', describe: 'folder with n<N>/policy BC runs for the sweep' })
      .option('mapping-preset', { type: 'string', describe: "mapping preset for the sweep (default: the agent mapping's kind)" })
      .option('confusion', { type: 'boolean', default: true, describe: 'write the policy-vs-LAM code confusion matrix (needs --data)' })
      .option('out', { type: 'string', default: 'reports/eval-agent', describe: 'report folder' })
      .option('backend', backendOption) as unknown as Argv<Args>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    const robot = loadRobot(a.robot);
    if (robot.simulator !== 'tabletop') throw new LaraError(`robot '${robot.name}' has no embedded simulator to evaluate in`, { where: '--robot', expected: 'a robot whose robot.json says "simulator": "tabletop" (e.g. tabletop-sim)' });
    const spec = readAgentSpec(a.agent);
    const input = readPolicyMeta(join(a.agent, spec.policy)).input;
    const size = a.size ?? input.width;
    const ns = a.sweep ? a.sweep.split(',').map((s) => Number(s.trim())) : undefined;
    if (ns && ns.some((v) => !Number.isInteger(v) || v < 1)) throw new LaraError('bad --sweep', { expected: 'comma-separated positive integers, e.g. 25,50,100,200,1000', got: a.sweep });
    if (ns && !a.data) throw new LaraError('--sweep needs --data (the labelled dataset the mappings are fitted on)');
    const trained = spec.eval;
    const task = a.task ?? trained?.task ?? 'push';
    const maxSteps = a['max-steps'] ?? trained?.maxSteps ?? 80;
    const mappingKind = spec.kind === 'bc' ? 'dictionary' : ((JSON.parse(readFileSync(join(a.agent, spec.mapping), 'utf8')) as { kind?: string }).kind ?? 'dictionary');
    const mapping = resolveRunConfig(MappingSchema, 'mapping', { ...(a['mapping-preset'] ? { preset: a['mapping-preset'] } : {}), set: a['mapping-preset'] ? [] : [`kind=${mappingKind}`] });
    const simFrom = a['sim-from'] ?? a.data;
    const sim = { ...(simFrom ? simSettingsOf(simFrom) : (trained?.sim ?? {})), width: size, height: size, maxSteps };
    log(`simulator: ${JSON.stringify(sim)}${simFrom ? ` (from ${simFrom})` : trained ? ` (from ${join(a.agent, 'agent.json')} eval.sim)` : ''}`);
    const r = await evaluateAgentPlan({
      robot, sim, tasks: task.split(',').map((s) => s.trim()), episodes: a.episodes, seed: a.seed, maxSteps,
      agent: a.agent, random: a.random, scripted: a.scripted, out: a.out, log,
      ...(a['bc-oracle'] ? { bcOracle: a['bc-oracle'] } : {}), ...(a.bc ? { bcSame: a.bc } : {}),
      ...(ns ? { sweep: { data: a.data!, ns, mapping, ...(a['bc-sweep'] ? { bcDir: a['bc-sweep'] } : {}) } } : {}),
      ...(a.confusion && a.data ? { confusionData: a.data } : {}),
    });
    process.stdout.write(comparisonMarkdown(r.comparison));
    if (r.ratios.ofOracle !== undefined) process.stdout.write(`latent ÷ BC oracle = ${r.ratios.ofOracle.toFixed(2)}\n`);
    if (r.ratios.ofBcSameN !== undefined) process.stdout.write(`latent ÷ BC on the same N = ${r.ratios.ofBcSameN.toFixed(2)}\n`);
    if (r.confusion) process.stdout.write(`policy code = LAM code on ${(100 * r.confusion.accuracy).toFixed(1)}% of ${r.confusion.total} held-out transitions\n`);
    process.stdout.write(`report in ${a.out}\n`);
  },
};
