/**
 * Where does a latent agent's gap to the expert come from? Runs the agent, then variants in which
 * an oracle (the simulator's scripted expert, reading the privileged scene) stands in for one part:
 *   - "oracle codes": the code whose dictionary mean world_vector x, y is nearest the expert's
 *     action replaces the policy's choice (the best the codes can do with a perfect policy);
 *   - "expert z, yaw": the expert's world_vector.z and rotation_delta.yaw replace the mapping's
 *     (what the codes cannot carry when the LAM sees the table from above);
 *   - both (and, with oracle codes, the expert's z alone and yaw alone); and the expert alone.
 * Then the ceiling of an ideal code vocabulary: K codes from k-means of the expert's actions in
 * DATASET (its first 200 training episodes) over (x, y) or over (x, y, z, yaw); the oracle picks
 * the nearest centre and the agent sends that centre (z, yaw from the expert in the (x, y) rows).
 * This says how many codes, carrying what, a LAM would need for the task. Every variant runs the
 * same seeded episodes.
 *   node bin/run-ts.mjs bench/latent-gap.ts POLICY MAPPING.json DATASET TASK [episodes=100] [maxSteps=80] [decode=code]
 * decode: how the policy's rows turn its logits into an action: `code` (the argmax code, then the
 * mapping, as LatentAgent) or `expected` (sum_c softmax(logits)_c × the dictionary mean of code c,
 * over the codes the dictionary has seen: a policy unsure between two directions moves between them).
 * The mapping must be a dictionary (its per-code means define the oracle's codes). DATASET gives
 * the simulator settings (info.json source.sim of lara dataset generate).
 */
import { initBackend } from '../src/backend/select.ts';
import { LatentAgentCode } from '../src/agent/latent.ts';
import type { Agent, Observation } from '../src/agent/types.ts';
import { ScriptedAgent } from '../src/agent/scripted.ts';
import { BcAgent } from '../src/agent/bc.ts';
import { evaluateAgent } from '../src/eval/evaluate.ts';
import { simSettingsOf, tabletopEnvs } from '../src/eval/tabletop.ts';
import { DictionaryMapping } from '../src/mapping/dictionary.ts';
import { loadMapping } from '../src/mapping/io.ts';
import { Policy } from '../src/policy/policy.ts';
import { clampAction } from '../src/robot/limits.ts';
import { loadRobot } from '../src/robot/load.ts';
import { Dataset } from '../src/data/Dataset.ts';
import { kmeans } from '../src/nn/kmeans.ts';
import { trainEpisodes } from '../src/policy/from-dataset.ts';
import { ScriptedExpert } from '../src/sim/expert.ts';
import { Rng } from '../src/util/rng.ts';

const [pol, mapFile, data, task, epsArg = '100', stepsArg = '80', decodeArg = 'code', bcDir] = process.argv.slice(2);
if (!pol || !mapFile || !data || !task) throw new Error('usage: bench/latent-gap.ts POLICY MAPPING.json DATASET TASK [episodes] [maxSteps] [decode]');
if (decodeArg !== 'code' && decodeArg !== 'expected') throw new Error(`decode must be code or expected, got '${decodeArg}'`);
const decode = decodeArg;
const TASK = task;
await initBackend('wasm');
const robot = loadRobot('tabletop-sim');
const Z = 2, YAW = 5;
const envs = tabletopEnvs(robot, { ...simSettingsOf(data), maxSteps: Number(stepsArg) });
const policy = Policy.load(pol);
const mapping = loadMapping(mapFile, robot);
if (!(mapping instanceof DictionaryMapping)) throw new Error(`${mapFile}: the oracle codes need a dictionary mapping, got kind '${mapping.header.kind}'`);
const means = mapping.means();

/** sum_c p_c m_c with p = softmax(logits) over the codes with a dictionary mean m_c. */
function expectedAction(logits: Float32Array): Float32Array {
  const top = Math.max(...logits);
  const u = new Float32Array(robot.dof.length);
  let total = 0;
  means.forEach((m, c) => {
    if (!m) return;
    const w = Math.exp(logits[c]! - top);
    total += w;
    for (let j = 0; j < u.length; j++) u[j]! += w * m[j]!;
  });
  for (let j = 0; j < u.length; j++) u[j]! /= total;
  return u;
}

/** Index of the centre nearest u over dims `dims` (null centres never win). */
const nearest = (centres: readonly (ArrayLike<number> | null)[], u: ArrayLike<number>, dims: readonly number[]): number => {
  let best = 0, bd = Infinity;
  centres.forEach((m, k) => {
    const d = m ? dims.reduce((s, j) => s + (m[j]! - u[j]!) ** 2, 0) : Infinity;
    if (d < bd) [best, bd] = [k, d];
  });
  return best;
};
const XY = [0, 1], XYZYAW = [0, 1, Z, YAW];

/** fromExpert: action dims the expert's values replace (none, z, yaw or both). */
function variant(name: string, oracleCodes: boolean, fromExpert: readonly number[]): Agent {
  let rng = Rng.seeded(0);
  let expert = new ScriptedExpert(Rng.seeded(0));
  return {
    name,
    reset(instruction: string, seed: number) {
      policy.reset(instruction);
      rng = Rng.seeded(seed ^ 0x1a7e47);
      expert = new ScriptedExpert(Rng.seeded(seed));
    },
    act(obs: Observation): Float32Array {
      const logits = policy.observe(obs); // [K]
      const e = expert.act(envs.env(TASK));
      const code = oracleCodes ? nearest(means, e, XY) : LatentAgentCode.pick(logits, 0, rng); // argmax, as LatentAgent
      const u = !oracleCodes && decode === 'expected' ? expectedAction(logits) : mapping.map({ code }, rng);
      for (const j of fromExpert) u[j] = e[j]!;
      return clampAction(robot, u).action;
    },
  };
}

const o = { tasks: [task], episodes: Number(epsArg), seed: 100000, maxSteps: Number(stepsArg) };
console.log(`${task}, ${o.episodes} episodes (seeds ${o.seed}..), policy ${pol}, mapping ${mapFile} (${mapping.header.kind}, ${mapping.header.fittedOn} labelled), policy decoding '${decode}'`);
console.log('| policy codes → | mapping z, yaw | expert z, yaw |\n|---|---|---|');
const rate = async (a: Agent) => {
  const r = await evaluateAgent(envs.envFor, a, o);
  return `${r.overall.successes}/${r.overall.episodes} [${(100 * r.overall.wilson.lo).toFixed(0)}, ${(100 * r.overall.wilson.hi).toFixed(0)}]`;
};
console.log(`| the policy's codes | ${await rate(variant('latent', false, []))} | ${await rate(variant('latent+zyaw', false, [Z, YAW]))} |`);
console.log(`| oracle codes | ${await rate(variant('oracle', true, []))} | ${await rate(variant('oracle+zyaw', true, [Z, YAW]))} |`);
console.log(`oracle codes with the expert's z only: ${await rate(variant('oracle+z', true, [Z]))}; its yaw only: ${await rate(variant('oracle+yaw', true, [YAW]))}`);
console.log(`scripted expert: ${await rate(new ScriptedAgent(() => envs.env(task)))}`);

const bc = bcDir ? new BcAgent(Policy.load(bcDir), robot, 'bc') : undefined;
if (bc) {
  /** snap: BC's x, y replaced by the nearest code's mean; else the latent policy's code with BC's z, yaw. */
  const withBc = (snap: boolean): Agent => {
    let rng = Rng.seeded(0);
    return {
      name: snap ? 'bc-snapped' : 'latent+bc-zyaw',
      reset(instruction: string, seed: number) { bc.reset(instruction); policy.reset(instruction); rng = Rng.seeded(seed ^ 0x1a7e47); },
      act(obs: Observation): Float32Array {
        const b = bc.act(obs);
        if (snap) {
          const m = means[nearest(means, b, XY)]!;
          [b[0], b[1]] = [m[0]!, m[1]!];
          return clampAction(robot, b).action;
        }
        const u = mapping.map({ code: LatentAgentCode.pick(policy.observe(obs), 0, rng) }, rng);
        [u[Z], u[YAW]] = [b[Z]!, b[YAW]!];
        return clampAction(robot, u).action;
      },
    };
  };
  console.log(`BC ${bcDir}: ${await rate(bc)}; its x, y snapped to the nearest code: ${await rate(withBc(true))}; the policy's codes with BC's z, yaw: ${await rate(withBc(false))}`);
}

// ideal vocabularies: k-means centres of the expert's actions, picked by the oracle
const ds = Dataset.open(data);
const acts: Float32Array[] = [];
for (const k of trainEpisodes(ds).slice(0, 200)) acts.push(...(await ds.readEpisode(k)).actions!.slice(0, -1));
await ds.close();
/** K k-means centres of those actions over `dims`, as full actions (other dims 0). */
function centresOf(k: number, dims: readonly number[]): Float32Array[] {
  const c = kmeans(Float32Array.from(acts.flatMap((a) => dims.map((j) => a[j]!))), dims.length, k, Rng.seeded(1), { iters: 30 }); // [k, dims]
  return Array.from({ length: k }, (_, i) => {
    const u = new Float32Array(robot.dof.length);
    dims.forEach((j, d) => (u[j] = c[i * dims.length + d]!));
    return u;
  });
}
function vocabulary(k: number, dims: readonly number[]): Agent {
  const centres = centresOf(k, dims);
  let expert = new ScriptedExpert(Rng.seeded(0));
  return {
    name: `kmeans-${k}`,
    reset(_i: string, seed: number) { expert = new ScriptedExpert(Rng.seeded(seed)); },
    act(): Float32Array {
      const e = expert.act(envs.env(TASK));
      const u = Float32Array.from(centres[nearest(centres, e, dims)]!);
      u[6] = e[6]!;
      if (dims.length === 2) [u[Z], u[YAW]] = [e[Z]!, e[YAW]!];
      return clampAction(robot, u).action;
    },
  };
}
console.log(`\nideal vocabularies (k-means of the expert's actions in ${acts.length} transitions, oracle-picked)`);
console.log('| K | codes over (x, y), expert z, yaw | codes over (x, y, z, yaw) |\n|---|---|---|');
for (const k of [8, 16, 32]) console.log(`| ${k} | ${await rate(vocabulary(k, XY))} | ${await rate(vocabulary(k, XYZYAW))} |`);

if (bc) {
  // the same vocabularies with BC choosing instead of the oracle: BC's action snapped to the nearest centre
  const snapped = (k: number, dims: readonly number[]): Agent => {
    const centres = centresOf(k, dims);
    return {
      name: `bc-kmeans-${k}`,
      reset(instruction: string) { bc.reset(instruction); },
      act(obs: Observation): Float32Array {
        const b = bc.act(obs);
        const m = centres[nearest(centres, b, dims)]!;
        for (const j of dims) b[j] = m[j]!;
        return clampAction(robot, b).action;
      },
    };
  };
  console.log(`\nthe same vocabularies, BC's action snapped to the nearest centre (BC keeps the dims not listed)`);
  console.log('| K | codes over (x, y, z), BC yaw | codes over (x, y, z, yaw) |\n|---|---|---|');
  for (const k of [8, 16, 32]) console.log(`| ${k} | ${await rate(snapped(k, [0, 1, Z]))} | ${await rate(snapped(k, XYZYAW))} |`);
}
