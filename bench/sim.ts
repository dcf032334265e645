/**
 * Tabletop simulator throughput: env.step (physics + render) at several image sizes, render alone,
 * physics alone, and the scripted expert's success per task.
 *
 *   node bin/run-ts.mjs bench/sim.ts [--steps 3000] [--episodes 200] [--noise 0.1] [--rounds 3]
 *
 * The machine is shared, so each timing is the best of --rounds rounds.
 */
import { TabletopEnv } from '../src/sim/tabletop.ts';
import { stepPhysics } from '../src/sim/physics.ts';
import { episodeSeed, rolloutExpert } from '../src/sim/rollout.ts';
import { TASK_KINDS } from '../src/sim/tasks.ts';
import { Rng } from '../src/util/rng.ts';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const steps = arg('steps', 3000), episodes = arg('episodes', 200), noise = arg('noise', 0.1), rounds = arg('rounds', 3);

function best(fn: () => number): number {
  let b = 0;
  for (let r = 0; r < rounds; r++) b = Math.max(b, fn());
  return b;
}

function stepRate(size: number): number {
  const env = new TabletopEnv({ width: size, height: size });
  const rng = Rng.seeded(1);
  env.reset(0);
  const a = new Float32Array(8);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    if (env.done) env.reset(i);
    a[0] = rng.uniform(-1, 1); a[1] = rng.uniform(-1, 1); a[2] = rng.uniform(-1, 1); a[5] = rng.uniform(-1, 1); a[6] = rng.uniform(-1, 1);
    env.step(a);
  }
  return steps / ((performance.now() - t0) / 1000);
}

const results: Record<string, unknown> = {};
for (const size of [64, 128]) results[`step_per_s_${size}`] = Math.round(best(() => stepRate(size)));
results.render_per_s_64 = Math.round(best(() => {
  const env = new TabletopEnv();
  env.reset(3);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) env.render();
  return steps / ((performance.now() - t0) / 1000);
}));
results.physics_per_s = Math.round(best(() => {
  const env = new TabletopEnv();
  env.reset(3);
  const rng = Rng.seeded(2);
  const t0 = performance.now();
  for (let i = 0; i < steps * 5; i++) stepPhysics(env.scene, env.config, [rng.uniform(-0.015, 0.015), rng.uniform(-0.015, 0.015), rng.uniform(-0.015, 0.015)], rng.uniform(-0.3, 0.3), rng.uniform(-0.5, 0.5));
  return (steps * 5) / ((performance.now() - t0) / 1000);
}));
for (const task of TASK_KINDS) {
  const env = new TabletopEnv({ tasks: [task] });
  let ok = 0, n = 0;
  const t0 = performance.now();
  for (let i = 0; i < episodes; i++) {
    const r = rolloutExpert(env, episodeSeed(1, i), { noise });
    if (r.success) ok++;
    n += r.steps;
  }
  results[`${task}_success`] = `${ok}/${episodes}`;
  results[`${task}_mean_steps`] = +(n / episodes).toFixed(1);
  results[`${task}_expert_steps_per_s`] = Math.round(n / ((performance.now() - t0) / 1000));
}
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(28)} ${v}`);
console.log(JSON.stringify({ steps, episodes, noise, rounds, ...results }));
