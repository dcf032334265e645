/**
 * DIAGNOSTIC evaluation (ideal codes instead of a LAM): latent policy + dictionary mapping fitted
 * on N labelled transitions vs BC on the same N vs BC oracle vs scripted vs random.
 *   node bin/run-ts.mjs scripts/eval-ideal-codes.ts DATA_IDEAL POLICY_IDEAL BC_ORACLE BC_DIR EPISODES OUT TASK [SWEEP=25,50,100,200,1000]
 *   (every learned agent and the scripted/random baselines on the same seeds 100000.., 80-step limit)
 */
import { initBackend } from '../src/backend/select.ts';
import { BcAgent } from '../src/agent/bc.ts';
import { LatentAgent } from '../src/agent/latent.ts';
import { RandomAgent } from '../src/agent/random.ts';
import { ScriptedAgent } from '../src/agent/scripted.ts';
import { Policy } from '../src/policy/policy.ts';
import { loadRobot } from '../src/robot/load.ts';
import { evaluateAgent, type AgentResult } from '../src/eval/evaluate.ts';
import { simSettingsOf, tabletopEnvs } from '../src/eval/tabletop.ts';
import { compareAgents, comparisonMarkdown } from '../src/eval/table.ts';
import { fitMappingFromDataset } from '../src/mapping/from-dataset.ts';
import { resolveConfig } from '../src/config/schema.ts';
import { MappingSchema } from '../src/mapping/config.ts';
import { lineChartSvg } from '../src/eval/svg.ts';
import { policyConfusion } from '../src/eval/confusion-data.ts';
import { confusionMarkdown, confusionSvg } from '../src/eval/confusion.ts';
import { writeFileAtomic, writeJsonAtomic } from '../src/util/atomic.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
const [data, pol, oracle, bcDir, eps, out, task] = process.argv.slice(2) as string[];
await initBackend('wasm');
const robot = loadRobot('tabletop-sim');
const envs = tabletopEnvs(robot, { ...simSettingsOf(data!), maxSteps: 80 });
const o = { tasks: [task!], episodes: Number(eps), seed: 100000, maxSteps: 80 };
const policy = Policy.load(pol!);
const run = async (a: { name: string } & Parameters<typeof evaluateAgent>[1]): Promise<AgentResult> => {
  const r = await evaluateAgent(envs.envFor, a, o);
  console.error(`${a.name}: ${r.overall.successes}/${r.overall.episodes} in ${r.seconds.toFixed(0)} s`);
  return r;
};
const results: AgentResult[] = [];
const sweep: { n: number; latent: AgentResult['overall']; bc?: AgentResult['overall'] }[] = [];
for (const n of (process.argv[9] ?? '25,50,100,200,1000').split(',').map(Number)) {
  const m = await fitMappingFromDataset(data!, robot, n, resolveConfig(MappingSchema, []));
  const la = await run(new LatentAgent(policy, m.mapping, robot, { name: `latent-n${n}` }));
  const bcp = join(bcDir!, `n${n}`, 'policy');
  const bc = existsSync(bcp) ? await run(new BcAgent(Policy.load(bcp), robot, `bc-n${n}`)) : undefined;
  if (n === 200) results.push(la, ...(bc ? [bc] : []));
  sweep.push({ n, latent: la.overall, ...(bc ? { bc: bc.overall } : {}) });
}
results.push(await run(new BcAgent(Policy.load(oracle!), robot, 'bc-oracle')));
results.push(await run(new ScriptedAgent(() => envs.env(task!), { noise: 0 })));
results.push(await run(new RandomAgent(robot)));
const c = compareAgents(results, 'bc-oracle');
writeFileAtomic(join(out!, 'comparison.md'), comparisonMarkdown(c));
const pt = (n: number, r: AgentResult['overall']) => ({ x: n, y: r.wilson.rate, lo: r.wilson.lo, hi: r.wilson.hi });
const orc = results.find((r) => r.agent === 'bc-oracle')!.overall;
writeFileAtomic(join(out!, 'sweep.svg'), lineChartSvg({ title: `DIAGNOSTIC (ideal codes): success vs N (${task})`, xLabel: 'labelled transitions N', yLabel: 'success (95% Wilson CI)', logX: true, yMin: 0, yMax: 1, series: [
  { name: 'latent agent', points: sweep.map((s) => pt(s.n, s.latent)) },
  { name: 'BC on N', points: sweep.filter((s) => s.bc).map((s) => pt(s.n, s.bc!)) },
  { name: 'BC oracle', points: sweep.map((s) => pt(s.n, orc)) },
] }));
const conf = await policyConfusion(policy, data!);
writeFileAtomic(join(out!, 'confusion.svg'), confusionSvg(conf, 'policy code vs ideal code'));
writeFileAtomic(join(out!, 'confusion.md'), confusionMarkdown(conf));
writeJsonAtomic(join(out!, 'comparison.json'), { comparison: c, sweep, confusionAccuracy: conf.accuracy });
console.log(comparisonMarkdown(c));
console.log('sweep', JSON.stringify(sweep.map((s) => [s.n, s.latent.successes, s.bc?.successes])));
console.log('confusion accuracy', conf.accuracy.toFixed(3));
