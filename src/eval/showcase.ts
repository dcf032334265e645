/**
 * A short, seeded look at an agent bundle in the tabletop simulator (the `lara demo` agent
 * section): the agent, the scripted expert and random actions on the same N episodes in the
 * simulator settings recorded in the bundle (agent.json eval), a success table with 95% Wilson
 * intervals (markdown + JSON), and a GIF of one of the agent's episodes.
 *
 *   <out>/agent-eval.md    the table
 *   <out>/agent-eval.json  the comparison record (+ the settings it ran in)
 *   <out>/agent-episode.gif
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgent, type AgentEvalSettings } from '../agent/bundle.ts';
import { RandomAgent } from '../agent/random.ts';
import { ScriptedAgent } from '../agent/scripted.ts';
import type { Agent, Observation } from '../agent/types.ts';
import { framesToGif } from '../data/gif.ts';
import { loadRobot } from '../robot/load.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { LaraError } from '../util/errors.ts';
import type { EvalEnv } from './env.ts';
import { evaluateAgent, runEpisode, type AgentResult, type EpisodeResult } from './evaluate.ts';
import { barChartSvg } from './svg.ts';
import { compareAgents, comparisonMarkdown, type Comparison } from './table.ts';
import { tabletopEnvs } from './tabletop.ts';

export interface ShowcaseOptions {
  /** Agent bundle folder (agents/<name>). */
  agent: string;
  episodes: number;
  /** Seed of episode 0 (episode i uses seed + i, the same for every agent). */
  seed: number;
  /** Folder for the table and the GIF. */
  out: string;
  /** Simulator settings; default: the bundle's agent.json eval. */
  settings?: AgentEvalSettings;
  log?: (s: string) => void;
}

export interface Showcase {
  name: string;
  description: string;
  settings: AgentEvalSettings;
  comparison: Comparison;
  markdown: string;
  /** The episode in the GIF (the agent's first success, else its first episode). */
  gifEpisode: EpisodeResult;
  files: { markdown: string; json: string; gif: string; plot: string };
}

/** An env that keeps every observed frame (for the GIF). */
function recording(env: EvalEnv, frames: Uint8Array[]): EvalEnv {
  const keep = (o: Observation): Observation => (frames.push(o.image.slice()), o);
  return {
    get instruction() {
      return env.instruction;
    },
    reset: async (seed, instruction) => keep(await env.reset(seed, instruction)),
    step: async (a) => {
      const s = await env.step(a);
      keep(s.obs);
      return s;
    },
  };
}

export async function agentShowcase(o: ShowcaseOptions): Promise<Showcase> {
  const log = o.log ?? (() => {});
  const { spec, agent } = loadAgent(o.agent);
  const settings = o.settings ?? spec.eval;
  if (!settings) throw new LaraError('agent has no recorded simulator settings', { file: join(o.agent, 'agent.json'), where: 'eval', expected: '{ sim, task, maxSteps } (or pass the settings)' });
  const robot = loadRobot(spec.robot);
  const tasks = settings.task.split(',').map((s) => s.trim());
  const envs = tabletopEnvs(robot, { ...settings.sim, maxSteps: settings.maxSteps });
  const opts = { tasks, episodes: o.episodes, seed: o.seed, maxSteps: settings.maxSteps };
  const agents: Agent[] = [agent, new ScriptedAgent(() => envs.env(tasks[0]!), { noise: 0 }), new RandomAgent(robot)];
  const results: AgentResult[] = [];
  for (const a of agents) {
    const r = await evaluateAgent(envs.envFor, a, opts);
    log(`${a.name}: ${r.overall.successes}/${r.overall.episodes} in ${r.seconds.toFixed(1)} s`);
    results.push(r);
  }
  const comparison = compareAgents(results);
  const markdown = comparisonMarkdown(comparison);

  const eps = results[0]!.episodeResults;
  const pick = eps.find((e) => e.success) ?? eps[0]!;
  const frames: Uint8Array[] = [];
  const gifEpisode = await runEpisode(recording(envs.env(pick.task), frames), agent, pick.task, pick.seed, settings.maxSteps);
  const w = settings.sim.width ?? 64;
  const h = settings.sim.height ?? 64;

  mkdirSync(o.out, { recursive: true });
  const files = { markdown: join(o.out, 'agent-eval.md'), json: join(o.out, 'agent-eval.json'), gif: join(o.out, 'agent-episode.gif'), plot: join(o.out, 'agent-success.svg') };
  const seeds = `seeds ${o.seed}..${o.seed + o.episodes - 1}`;
  writeFileAtomic(files.markdown, `# ${spec.name} in the tabletop simulator: ${tasks.join(', ')}, ${o.episodes} episodes (${seeds})\n\n${markdown}\nsimulator ${JSON.stringify(settings.sim)}, ${settings.maxSteps}-step limit; GIF: ${gifEpisode.task} seed ${gifEpisode.seed} (${gifEpisode.success ? 'success' : 'failure'} in ${gifEpisode.steps} steps)\n`);
  writeJsonAtomic(files.json, { agent: spec.name, robot: spec.robot, settings, episodes: o.episodes, seed: o.seed, comparison, gif: { task: gifEpisode.task, seed: gifEpisode.seed, success: gifEpisode.success, steps: gifEpisode.steps } });
  writeFileAtomic(files.gif, framesToGif(frames, w, h, 10, 4));
  const bars = comparison.rows.map((r) => ({ label: r.agent, value: r.overall.rate, lo: r.overall.lo, hi: r.overall.hi, note: `${r.overall.successes}/${r.overall.episodes}` }));
  writeFileAtomic(files.plot, barChartSvg({ title: `success on ${tasks.join(', ')} (${seeds}; 95% Wilson)`, yLabel: 'success rate', bars, yMax: 1, width: 480 }));
  return { name: spec.name, description: spec.description, settings, comparison, markdown, gifEpisode, files };
}
