/**
 * `lara eval agent` as a library call: evaluate the latent agent against its baselines (random
 * actions, the scripted expert, BC on all real actions = the oracle, BC on the same N labelled
 * transitions) on the same seeded episodes; optionally sweep N (the latent agent with a mapping
 * refitted on N transitions, and BC trained on N where such runs are given); and the confusion
 * matrix of policy codes vs LAM codes. Writes a report folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BcAgent } from '../agent/bc.ts';
import { loadAgent } from '../agent/bundle.ts';
import { LatentAgent } from '../agent/latent.ts';
import { RandomAgent } from '../agent/random.ts';
import { ScriptedAgent } from '../agent/scripted.ts';
import type { Agent } from '../agent/types.ts';
import type { MappingConfig } from '../mapping/config.ts';
import { fitMappingFromDataset } from '../mapping/from-dataset.ts';
import { Policy } from '../policy/policy.ts';
import type { RobotDescription } from '../robot/description.ts';
import type { TabletopConfig } from '../sim/config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { confusionMarkdown, confusionSvg, type Confusion } from './confusion.ts';
import { policyConfusion } from './confusion-data.ts';
import { evaluateAgent, type AgentResult } from './evaluate.ts';
import { lineChartSvg, type Series } from './svg.ts';
import { compareAgents, comparisonMarkdown, type Comparison } from './table.ts';
import { tabletopEnvs } from './tabletop.ts';

export interface AgentEvalPlan {
  robot: RobotDescription;
  /** Simulator settings (image size etc.; must match the data the agent was trained on). */
  sim: Partial<TabletopConfig>;
  tasks: string[];
  episodes: number;
  seed: number;
  maxSteps: number;
  /** Latent agent bundle (agents/<name>). */
  agent: string;
  /** BC policy folder trained on every native action. */
  bcOracle?: string;
  /** BC policy folder trained on the same N labelled transitions as the agent's mapping. */
  bcSame?: string;
  random?: boolean;
  scripted?: boolean;
  sweep?: { data: string; ns: number[]; mapping: MappingConfig; /** folder with n<N>/policy BC runs */ bcDir?: string };
  /** Labelled dataset for the confusion matrix (its val split). */
  confusionData?: string;
  out: string;
  log?: (s: string) => void;
}

export interface SweepPoint {
  n: number;
  latent: AgentResult;
  bc?: AgentResult;
}

export interface AgentEvalReport {
  comparison: Comparison;
  results: AgentResult[];
  sweep?: SweepPoint[];
  confusion?: Confusion & { episodes: number };
  /** latent ÷ oracle and latent ÷ BC(same N), when both baselines ran. */
  ratios: { ofOracle?: number; ofBcSameN?: number };
}

const point = (n: number, r: AgentResult) => ({ x: n, y: r.overall.wilson.rate, lo: r.overall.wilson.lo, hi: r.overall.wilson.hi });

export async function evaluateAgentPlan(p: AgentEvalPlan): Promise<AgentEvalReport> {
  const log = p.log ?? (() => {});
  mkdirSync(p.out, { recursive: true });
  const envs = tabletopEnvs(p.robot, p.sim);
  const opts = { tasks: p.tasks, episodes: p.episodes, seed: p.seed, maxSteps: p.maxSteps };
  const run = async (a: Agent): Promise<AgentResult> => {
    const r = await evaluateAgent(envs.envFor, a, opts);
    log(`${a.name}: ${r.overall.successes}/${r.overall.episodes} (${(100 * r.overall.wilson.rate).toFixed(1)}%, 95% CI ${(100 * r.overall.wilson.lo).toFixed(1)}-${(100 * r.overall.wilson.hi).toFixed(1)}) in ${r.seconds.toFixed(0)} s`);
    return r;
  };
  const { agent, spec } = loadAgent(p.agent, p.robot);
  const latent = agent instanceof LatentAgent ? agent : undefined;
  const n = latent ? latent.mapping.header.fittedOn : 0;
  const results: AgentResult[] = [await run(agent)];
  if (p.bcSame && latent) results.push(await run(new BcAgent(Policy.load(p.bcSame), p.robot, `bc-${n}`)));
  if (p.bcOracle) results.push(await run(new BcAgent(Policy.load(p.bcOracle), p.robot, 'bc-oracle')));
  if (p.scripted) results.push(await run(new ScriptedAgent(() => envs.env(p.tasks[0]!), { noise: 0 })));
  if (p.random) results.push(await run(new RandomAgent(p.robot)));
  const comparison = compareAgents(results, p.bcOracle ? 'bc-oracle' : undefined);
  const rate = (name: string) => results.find((r) => r.agent === name)?.overall.wilson.rate;
  const lat = results[0]!.overall.wilson.rate;
  const ratios: AgentEvalReport['ratios'] = {};
  const o = rate('bc-oracle');
  const b = rate(`bc-${n}`);
  if (o !== undefined && o > 0) ratios.ofOracle = lat / o;
  if (b !== undefined) ratios.ofBcSameN = b > 0 ? lat / b : lat > 0 ? Infinity : 1;
  writeFileAtomic(join(p.out, 'comparison.md'), `# ${spec.name} on ${p.robot.name}: ${p.tasks.join(', ')}, ${p.episodes} episodes per task (seeds ${p.seed}..${p.seed + p.episodes - 1})\n\n` + comparisonMarkdown(comparison) + `\n${latent ? `latent agent: mapping fitted on N = ${n} labelled transitions; ` : 'BC agent (native actions)'}${ratios.ofOracle !== undefined ? `${ratios.ofOracle.toFixed(2)}× the oracle BC` : ''}${ratios.ofBcSameN !== undefined ? `, ${ratios.ofBcSameN.toFixed(2)}× BC on the same ${n}` : ''}\n`);
  const report: AgentEvalReport = { comparison, results, ratios };

  if (p.sweep && latent) {
    const pts: SweepPoint[] = [];
    for (const k of p.sweep.ns) {
      const fit = await fitMappingFromDataset(p.sweep.data, p.robot, k, p.sweep.mapping);
      const la = await run(new LatentAgent(latent.policy, fit.mapping, p.robot, { temperature: latent.temperature, name: `latent-n${k}` }));
      const bcPath = p.sweep.bcDir ? join(p.sweep.bcDir, `n${k}`, 'policy') : undefined;
      const pt: SweepPoint = { n: k, latent: la };
      if (bcPath && existsSync(bcPath)) pt.bc = await run(new BcAgent(Policy.load(bcPath), p.robot, `bc-n${k}`));
      pts.push(pt);
    }
    const series: Series[] = [{ name: 'latent agent', points: pts.map((q) => point(q.n, q.latent)) }];
    const bcPts = pts.filter((q) => q.bc).map((q) => point(q.n, q.bc!));
    if (bcPts.length) series.push({ name: 'BC on N', points: bcPts });
    const oracle = results.find((r) => r.agent === 'bc-oracle');
    if (oracle) series.push({ name: 'BC oracle (all)', points: pts.map((q) => point(q.n, oracle)) });
    writeFileAtomic(join(p.out, 'sweep.svg'), lineChartSvg({ title: `success vs labelled transitions N (${p.tasks.join(', ')})`, xLabel: 'labelled transitions N', yLabel: 'success rate (95% Wilson CI)', logX: true, yMin: 0, yMax: 1, series }));
    writeJsonAtomic(join(p.out, 'sweep.json'), pts.map((q) => ({ n: q.n, latent: q.latent.overall, ...(q.bc ? { bc: q.bc.overall } : {}) })));
    report.sweep = pts;
  }
  if (p.confusionData && latent) {
    const c = await policyConfusion(agent.policy, p.confusionData);
    writeFileAtomic(join(p.out, 'confusion.svg'), confusionSvg(c));
    writeFileAtomic(join(p.out, 'confusion.md'), `# Policy code vs LAM code (${c.episodes} held-out episodes)\n\n` + confusionMarkdown(c));
    report.confusion = c;
  }
  writeJsonAtomic(join(p.out, 'comparison.json'), { plan: { ...p, robot: p.robot.name, log: undefined }, comparison, ratios, ...(report.sweep ? { sweep: report.sweep.map((q) => ({ n: q.n, latent: q.latent.overall, ...(q.bc ? { bc: q.bc.overall } : {}) })) } : {}), ...(report.confusion ? { confusion: { accuracy: report.confusion.accuracy, counts: report.confusion.counts } } : {}) });
  return report;
}
