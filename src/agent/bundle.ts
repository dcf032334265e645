/**
 * An agent bundle, agents/<name>/, of one of two kinds (agent.json "kind"):
 *   - "latent" (the default): agent.json naming the LAM codebook (|A| codes, their vectors
 * and the LAM that labelled the policy's data), the latent policy folder, the latent -> DoF
 * mapping and the robot, plus copies of the policy, the mapping and the LAM's weights, so the
 * folder alone drives the robot and labels new demonstrations with the same codes.
 *
 *   agents/<name>/agent.json
 *   agents/<name>/policy/{policy.json, model.safetensors}
 *   agents/<name>/mapping.json
 *   agents/<name>/lam/{state.json, config.json, model.safetensors}   (weights only, no optimizer)
 *   - "bc": a behaviour-cloning policy on native actions (no LAM, no mapping) plus the simulator
 *     settings it was trained and is evaluated in:
 *     agents/<name>/agent.json  { kind: "bc", name, robot, policy, eval: { sim, task, maxSteps } }
 *   (a latent bundle may record the same `eval` settings: lara agent create --sim-from/--task)
 *     agents/<name>/policy/{policy.json, model.safetensors}
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMapping } from '../mapping/io.ts';
import { Policy } from '../policy/policy.ts';
import { readPolicyMeta } from '../policy/io.ts';
import { loadRobot } from '../robot/load.ts';
import type { RobotDescription } from '../robot/description.ts';
import { buildDirAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { LaraError, describe } from '../util/errors.ts';
import { openLam } from '../label/dataset.ts';
import { WEIGHTS_ONLY_FILES } from '../checkpoint/checkpoint.ts';
import { LatentAgent } from './latent.ts';
import { BcAgent } from './bc.ts';
import type { TabletopConfig } from '../sim/config.ts';

export interface LatentAgentSpec {
  format: 'lara-agent';
  version: 1;
  kind?: 'latent';
  name: string;
  robot: string;
  /** `source`: the LAM checkpoint, relative to the bundle (bundles made by lara agent create hold a weights-only copy in lam/). */
  lam: { codes: number; codeDim: number; codebook: number[][]; source: string };
  /** Folder of the latent policy, relative to the bundle. */
  policy: string;
  /** Mapping file, relative to the bundle. */
  mapping: string;
  /** 0 = argmax code; > 0 samples the policy at this temperature. */
  temperature: number;
  description: string;
  /** How it was made (exact commands). */
  recipe: string[];
  /** The simulator settings it was trained in and is evaluated in by default. */
  eval?: AgentEvalSettings;
}

/** Simulator settings an agent was trained in (and is evaluated in by default). */
export interface AgentEvalSettings {
  /** Tabletop simulator options (blocks, zones, width, height, ...). */
  sim: Partial<TabletopConfig>;
  /** Task kinds, comma separated (reach, push, pick-place). */
  task: string;
  maxSteps: number;
}

export interface BcAgentSpec {
  format: 'lara-agent';
  version: 1;
  kind: 'bc';
  name: string;
  robot: string;
  /** Folder of the BC policy (regression head on native actions), relative to the bundle. */
  policy: string;
  description: string;
  recipe: string[];
  eval?: AgentEvalSettings;
}

export type AgentSpec = LatentAgentSpec | BcAgentSpec;

export const AGENT_KINDS = ['latent', 'bc'] as const;

export const AGENT_FILE = 'agent.json';
/** Folder of the bundled LAM checkpoint (weights only) inside a latent agent bundle. */
export const BUNDLED_LAM = 'lam';

export interface CreateAgentOptions {
  name: string;
  lam: string;
  policy: string;
  mapping: string;
  robot: string;
  temperature?: number;
  description?: string;
  recipe?: string[];
  /** The simulator settings to record (what `lara eval agent` and `lara demo` use by default). */
  eval?: AgentEvalSettings;
  overwrite?: boolean;
}

/** Build agents/<name>/ from a LAM run, a policy folder and a mapping file (validated together). */
export async function createAgent(dir: string, o: CreateAgentOptions): Promise<LatentAgentSpec> {
  if (existsSync(dir) && !o.overwrite) throw new LaraError('agent folder already exists (pass --overwrite to replace it)', { file: dir });
  const robot = loadRobot(o.robot);
  const opened = openLam(o.lam);
  const lam = opened.model;
  const pm = readPolicyMeta(o.policy);
  loadMapping(o.mapping, robot); // refuses another robot's mapping
  const spec: LatentAgentSpec = {
    format: 'lara-agent', version: 1, name: o.name, robot: robot.name,
    lam: { codes: lam.cfg.codes, codeDim: lam.cfg.codeDim, codebook: lam.codebook().map((r) => r.map((v) => Number(v.toFixed(6)))), source: BUNDLED_LAM },
    policy: 'policy', mapping: 'mapping.json', temperature: o.temperature ?? 0,
    description: o.description ?? `latent agent for ${robot.name}`, recipe: o.recipe ?? [],
    ...(o.eval ? { eval: o.eval } : {}),
  };
  checkConsistent(spec, pm.codes, loadMapping(o.mapping, robot).header.codes, join(dir, AGENT_FILE));
  await buildDirAtomic(dir, (tmp) => {
    cpSync(o.policy, join(tmp, 'policy'), { recursive: true });
    cpSync(o.mapping, join(tmp, 'mapping.json'));
    mkdirSync(join(tmp, BUNDLED_LAM));
    for (const f of WEIGHTS_ONLY_FILES) cpSync(join(opened.dir, f), join(tmp, BUNDLED_LAM, f)); // the checkpoint openLam loaded
    writeJsonAtomic(join(tmp, AGENT_FILE), spec);
  }, { overwrite: o.overwrite ?? false });
  return spec;
}

function checkConsistent(spec: LatentAgentSpec, policyCodes: number | undefined, mappingCodes: number, file: string): void {
  if (policyCodes !== spec.lam.codes) throw new LaraError('the policy was trained on a different number of LAM codes', { file, where: 'policy', expected: `${spec.lam.codes} codes (the LAM's)`, got: String(policyCodes) });
  if (mappingCodes !== spec.lam.codes) throw new LaraError('the mapping was fitted on a different number of LAM codes', { file, where: 'mapping', expected: `${spec.lam.codes} codes (the LAM's)`, got: String(mappingCodes) });
}

export function readAgentSpec(dir: string): AgentSpec {
  const file = join(dir, AGENT_FILE);
  if (!existsSync(file)) throw new LaraError('no agent here', { file, expected: 'a folder made by lara agent create (agent.json)' });
  let s: AgentSpec;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as AgentSpec;
  } catch (e) {
    throw new LaraError(`cannot parse agent: ${(e as Error).message}`, { file });
  }
  if (s?.format !== 'lara-agent') throw new LaraError('not a lara agent', { file, where: 'format', expected: '"lara-agent"', got: describe(s?.format) });
  if (s.version !== 1) throw new LaraError('unsupported agent version', { file, where: 'version', expected: '1', got: describe(s.version) });
  const kind = s.kind ?? 'latent';
  if (!(AGENT_KINDS as readonly unknown[]).includes(kind)) throw new LaraError('unknown agent kind', { file, where: 'kind', expected: AGENT_KINDS.map((k) => `"${k}"`).join(' or '), got: describe(kind) });
  const fields = kind === 'bc' ? (['name', 'robot', 'policy'] as const) : (['name', 'robot', 'policy', 'mapping'] as const);
  for (const k of fields) if (typeof (s as unknown as Record<string, unknown>)[k] !== 'string') throw new LaraError('bad agent field', { file, where: k, expected: 'a string', got: describe((s as unknown as Record<string, unknown>)[k]) });
  const e = s.eval;
  if (e !== undefined && (typeof e !== 'object' || e === null || typeof e.sim !== 'object' || typeof e.task !== 'string' || !Number.isInteger(e.maxSteps))) {
    throw new LaraError('bad agent field', { file, where: 'eval', expected: '{ sim: {...simulator options}, task: "reach", maxSteps: 80 }', got: describe(e) });
  }
  if (s.kind === 'bc') {
    if (!existsSync(join(dir, s.policy, 'policy.json'))) throw new LaraError('the agent\'s policy folder has no policy.json', { file, where: 'policy', expected: 'a policy folder inside the bundle (policy.json + model.safetensors)', got: JSON.stringify(s.policy) });
    return { ...s, description: s.description ?? `BC agent for ${s.robot}`, recipe: s.recipe ?? [] };
  }
  if (!s.lam || !Number.isInteger(s.lam.codes)) throw new LaraError('bad agent field', { file, where: 'lam.codes', expected: 'an integer', got: describe(s.lam?.codes) });
  return s;
}

export type BundleAgent = { spec: LatentAgentSpec; agent: LatentAgent } | { spec: BcAgentSpec; agent: BcAgent };

/** Load the agent of a bundle (latent or BC) for `robot` (default: the bundle's robot). */
export function loadAgent(dir: string, robot?: RobotDescription): BundleAgent {
  const spec = readAgentSpec(dir);
  const r = robot ?? loadRobot(spec.robot);
  if (r.name !== spec.robot) {
    throw new LaraError(`agent '${spec.name}' drives robot '${spec.robot}', not robot '${r.name}'`, { file: join(dir, AGENT_FILE), where: 'robot', expected: JSON.stringify(r.name), got: JSON.stringify(spec.robot) });
  }
  if (spec.kind === 'bc') return { spec, agent: new BcAgent(Policy.load(join(dir, spec.policy)), r, spec.name) };
  const mapping = loadMapping(join(dir, spec.mapping), r);
  const policy = Policy.load(join(dir, spec.policy));
  checkConsistent(spec, policy.meta.codes, mapping.header.codes, join(dir, AGENT_FILE));
  return { spec, agent: new LatentAgent(policy, mapping, r, { temperature: spec.temperature, name: spec.name }) };
}

/** Human-readable summary for `lara agent info`. */
export function agentInfo(dir: string): string {
  const s = readAgentSpec(dir);
  if (s.kind === 'bc') return bcAgentInfo(dir, s);
  const pm = readPolicyMeta(join(dir, s.policy));
  const mj = JSON.parse(readFileSync(join(dir, s.mapping), 'utf8')) as { kind: string; fittedOn: number; stateDim: number; robot: string; state?: { entries?: unknown[][] } };
  const lines = [
    `agent ${s.name}: ${s.description}`,
    `  robot     ${s.robot}`,
    `  LAM       ${s.lam.codes} codes x ${s.lam.codeDim} dims (from ${s.lam.source})`,
    `  policy    ${s.policy}/: latent head over ${pm.codes} codes; ${encoderText(pm.config.encoder)}; ${pm.input.frames} frame(s) of ${pm.input.width}x${pm.input.height}, state dims ${pm.input.stateDim}; trained ${String(pm.trainedOn.steps)} steps on ${String(pm.trainedOn.examples)} transitions`,
    `  mapping   ${s.mapping}: ${mj.kind}, fitted on ${mj.fittedOn} labelled transitions${mj.stateDim ? `, conditioned on ${mj.stateDim} state dims` : ''}${mj.state?.entries ? `; per-code samples ${mj.state.entries.map((x) => x.length).join(' ')}` : ''}`,
    `  sampling  ${s.temperature > 0 ? `softmax at temperature ${s.temperature}` : 'argmax code'}`,
  ];
  if (s.eval) lines.push(evalText(s.eval));
  if (s.recipe.length) lines.push('  recipe', ...s.recipe.map((c) => `    ${c}`));
  return lines.join('\n') + '\n';
}


function bcAgentInfo(dir: string, s: BcAgentSpec): string {
  const pm = readPolicyMeta(join(dir, s.policy));
  const enc = encoderText(pm.config.encoder);
  const lines = [
    `agent ${s.name}: ${s.description}`,
    `  kind      bc (behaviour cloning on native actions; no LAM, no mapping)`,
    `  robot     ${s.robot}`,
    `  policy    ${s.policy}/: ${pm.head} head on ${pm.outDim} native actions; ${enc}; ${pm.input.frames} frame(s) of ${pm.input.width}x${pm.input.height}, state dims ${pm.input.stateDim}; trained ${String(pm.trainedOn.steps)} steps on ${String(pm.trainedOn.examples)} transitions`,
  ];
  if (s.eval) lines.push(evalText(s.eval));
  if (s.recipe.length) lines.push('  recipe', ...s.recipe.map((c) => `    ${c}`));
  return lines.join('\n') + '\n';
}

/** One phrase for a policy encoder config. */
function encoderText(e: { kind?: string; keypoints?: number; width: number; layers: number; patch?: number }): string {
  return e.kind === 'keypoints' ? `keypoint encoder (${String(e.keypoints)} keypoints)` : `${e.kind ?? 'ST'} encoder, patch ${String(e.patch)}, width ${e.width}, ${e.layers} blocks`;
}

function evalText(e: AgentEvalSettings): string {
  return `  eval in   task ${e.task}, ${e.maxSteps}-step limit, simulator ${JSON.stringify(e.sim)}`;
}
