/**
 * BC agent bundles (agent.json kind "bc"): the shipped agents/tabletop-reach-bc loads through
 * loadAgent and acts within the robot's limits in its training simulator settings; `lara agent
 * info` describes it; bad agent.json files give LaraErrors naming the file and the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { agentInfo, loadAgent as loadBundle, readAgentSpec } from '../../src/agent/bundle.ts';
import { BcAgent } from '../../src/agent/bc.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { tabletopEnvs } from '../../src/eval/tabletop.ts';
import { loadRobot } from '../../src/robot/load.ts';
import { LaraError } from '../../src/util/errors.ts';
import { useWasm } from '../policy/helpers.ts';
import { lara, ROOT } from '../cli/helpers.ts';

beforeAll(useWasm);

const REACH = resolve(ROOT, 'agents/tabletop-reach-bc');

/** A copy of the reach bundle with agent.json edited by `edit`. */
function badBundle(edit: (spec: Record<string, unknown>) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lara-bc-bundle-')), 'agent');
  cpSync(REACH, dir, { recursive: true });
  const spec = JSON.parse(readFileSync(join(dir, 'agent.json'), 'utf8')) as Record<string, unknown>;
  edit(spec);
  writeFileSync(join(dir, 'agent.json'), JSON.stringify(spec));
  return dir;
}

function laraErrorOf(f: () => unknown): LaraError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LaraError);
    return e as LaraError;
  }
  throw new Error('expected a LaraError');
}

describe('BC agent bundles', () => {
  it('loads the shipped reach agent and acts within the robot limits in its training settings', async () => {
    const robot = loadRobot('tabletop-sim');
    const spec = readAgentSpec(REACH);
    expect(spec.kind).toBe('bc');
    if (spec.kind !== 'bc') return;
    expect(spec.eval).toMatchObject({ task: 'reach', maxSteps: 80, sim: { blocks: 1, zones: 1, width: 32, height: 32 } });
    const a = loadAgent(REACH, robot);
    expect(a).toBeInstanceOf(BcAgent);
    expect(a.inputSize).toEqual({ width: 32, height: 32 });
    const env = tabletopEnvs(robot, { ...spec.eval!.sim, maxSteps: spec.eval!.maxSteps }).env('reach');
    let obs = await env.reset(100000);
    a.reset(env.instruction, 100000);
    let success = false;
    for (let t = 0; t < 80 && !success; t++) {
      const act = a.act(obs);
      expect(act).toHaveLength(robot.dof.length);
      robot.dof.forEach((d, i) => {
        expect(Number.isFinite(act[i]!)).toBe(true);
        expect(act[i]!).toBeGreaterThanOrEqual(d.min);
        expect(act[i]!).toBeLessThanOrEqual(d.max);
      });
      const s = await env.step(act);
      obs = s.obs;
      success = s.success;
      if (s.done) break;
    }
    // the shipped agent reaches on this seed (it scores 96/100 on seeds 100000..100099)
    expect(success).toBe(true);
  }, 60_000);

  it('refuses a BC bundle for another robot', () => {
    expect(() => loadBundle(REACH, loadRobot('arm7'))).toThrow(/drives robot 'tabletop-sim', not robot 'arm7'/);
  });

  it('agent info describes the BC bundle (library and CLI)', async () => {
    const text = agentInfo(REACH);
    expect(text).toMatch(/^agent tabletop-reach-bc: /);
    expect(text).toContain('kind      bc');
    expect(text).toContain('robot     tabletop-sim');
    expect(text).toMatch(/policy +policy\/: regress head on 8 native actions; keypoint encoder \(16 keypoints\); 1 frame\(s\) of 32x32/);
    expect(text).toContain('eval in   task reach, 80-step limit, simulator {"width":32,"height":32,"blocks":1,"zones":1}');
    const r = await lara(['agent', 'info', 'agents/tabletop-reach-bc']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(text);
  }, 60_000);

  it('bad agent.json: unknown kind, missing policy, bad eval name the file and the field', () => {
    const unknown = badBundle((s) => (s.kind = 'diffusion'));
    const e1 = laraErrorOf(() => readAgentSpec(unknown));
    expect(e1.message).toContain(join(unknown, 'agent.json'));
    expect(e1.context.where).toBe('kind');
    expect(e1.message).toMatch(/unknown agent kind; expected "latent" or "bc", got "diffusion"/);

    const noField = badBundle((s) => delete s.policy);
    const e2 = laraErrorOf(() => loadBundle(noField));
    expect(e2.message).toContain(join(noField, 'agent.json'));
    expect(e2.context.where).toBe('policy');

    const noFolder = badBundle((s) => (s.policy = 'nowhere'));
    const e3 = laraErrorOf(() => loadBundle(noFolder));
    expect(e3.message).toContain(join(noFolder, 'agent.json'));
    expect(e3.context.where).toBe('policy');
    expect(e3.message).toContain('"nowhere"');

    const badEval = badBundle((s) => (s.eval = { task: 'reach' }));
    const e4 = laraErrorOf(() => readAgentSpec(badEval));
    expect(e4.context.where).toBe('eval');
  });

  it('lara eval agent evaluates a BC bundle in its recorded simulator settings by default', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lara-bc-eval-'));
    const r = await lara(['eval', 'agent', '--agent', 'agents/tabletop-reach-bc', '--episodes', '3', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('simulator: {"width":32,"height":32,"blocks":1,"zones":1,"maxSteps":80} (from agents/tabletop-reach-bc/agent.json eval.sim)');
    const md = readFileSync(join(out, 'comparison.md'), 'utf8');
    expect(md).toMatch(/^# tabletop-reach-bc on tabletop-sim: reach, 3 episodes per task/);
    for (const name of ['tabletop-reach-bc', 'scripted-expert', 'random']) expect(r.stdout).toMatch(new RegExp(`\\| ${name} \\| \\d/3 `));
    expect(r.stdout).toMatch(/\| scripted-expert \| 3\/3 /);
  }, 60_000);

  it('the CLI prints a bad bundle error without a stack', async () => {
    const dir = badBundle((s) => (s.kind = 'diffusion'));
    const r = await lara(['agent', 'info', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'agent.json')}: kind: unknown agent kind`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
