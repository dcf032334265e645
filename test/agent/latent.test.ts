import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/schema.ts';
import { PolicySchema } from '../../src/policy/config.ts';
import { PolicyNet } from '../../src/policy/network.ts';
import { Policy } from '../../src/policy/policy.ts';
import type { PolicyMeta } from '../../src/policy/io.ts';
import { DictionaryMapping } from '../../src/mapping/dictionary.ts';
import { LatentAgent, LatentAgentCode } from '../../src/agent/latent.ts';
import { BcAgent } from '../../src/agent/bc.ts';
import { Rng } from '../../src/util/rng.ts';
import { testRobot } from '../mapping/helpers.ts';
import { dotFrame } from '../policy/synthetic.ts';
import { useWasm } from '../policy/helpers.ts';

beforeAll(useWasm);
const robot = testRobot();

function policy(head: 'latent' | 'regress', outDim: number): Policy {
  const config = resolveConfig(PolicySchema, [{ head, encoder: { frames: 2, patch: 4, width: 16, layers: 1, heads: 2, vocab: 8, hidden: 16, stateDims: 0 } }]);
  const input = { width: 16, height: 16, frames: 2, patch: 4, vocab: 8, stateDim: 0, stateMean: [], stateStd: [] };
  const meta: PolicyMeta = { format: 'lara-policy', version: 1, head, outDim, robot: robot.name, input, config, trainedOn: {}, ...(head === 'latent' ? { codes: outDim } : { actionStats: { mean: [0, 0], std: [2, 2], min: [-1, -1], max: [1, 1] } }) };
  return new Policy(meta, new PolicyNet({ input, encoder: config.encoder, head, outDim }, Rng.seeded(5)));
}

describe('LatentAgent', () => {
  const mapping = DictionaryMapping.fit([0, 1, 2].map((c) => ({ code: c, action: Float32Array.of(c / 4, -c / 4) })), robot, 3, 'mean');
  it('acts with the mapping of the policy argmax code and reports the code', () => {
    const p = policy('latent', 3);
    const agent = new LatentAgent(p, mapping, robot);
    agent.reset('go', 1);
    const obs = { image: dotFrame(3), state: new Float32Array(0) };
    const u = agent.act(obs);
    const probe = policy('latent', 3);
    probe.reset('go');
    const code = LatentAgentCode.pick(probe.observe(obs), 0, Rng.seeded(0));
    expect(agent.lastCode()).toBe(code);
    expect(Array.from(u)).toEqual([expect.closeTo(code / 4, 6), expect.closeTo(-code / 4, 6)]);
  });
  it('samples codes reproducibly at a temperature', () => {
    const logits = Float32Array.of(0, 0.5, 1);
    const a = Array.from({ length: 200 }, ((r) => () => LatentAgentCode.pick(logits, 1, r))(Rng.seeded(3)));
    const b = Array.from({ length: 200 }, ((r) => () => LatentAgentCode.pick(logits, 1, r))(Rng.seeded(3)));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
    expect(a.filter((c) => c === 2).length).toBeGreaterThan(a.filter((c) => c === 0).length);
  });
  it('refuses a mapping with another code count or robot, and a BC policy', () => {
    expect(() => new LatentAgent(policy('latent', 4), mapping, robot)).toThrow(/disagree on the number of latent codes; expected 4 \(the policy's\), got 3 \(the mapping's\)/);
    expect(() => new LatentAgent(policy('latent', 3), mapping, testRobot('other'))).toThrow(/fitted for robot 'test-arm' and cannot drive robot 'other'/);
    expect(() => new LatentAgent(policy('regress', 2), mapping, robot)).toThrow(/needs a latent policy/);
  });
});

describe('BcAgent', () => {
  it('de-normalises and clamps the regression output', () => {
    const p = policy('regress', 2);
    const agent = new BcAgent(p, robot);
    agent.reset('go');
    const u = agent.act({ image: dotFrame(3), state: new Float32Array(0) });
    const probe = policy('regress', 2);
    probe.reset('go');
    const raw = probe.toAction(probe.observe({ image: dotFrame(3), state: new Float32Array(0) }));
    expect(u[0]).toBeCloseTo(Math.max(-1, Math.min(1, raw[0]!)), 5);
    expect(u[1]).toBeCloseTo(Math.max(-0.5, Math.min(0.5, raw[1]!)), 5);
    expect(() => new BcAgent(policy('regress', 2), testRobot('other'))).toThrow(/trained on robot 'test-arm' actions and cannot drive robot 'other'/);
  });
});
