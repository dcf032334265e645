import { describe, expect, it } from 'vitest';
import { RequestError, decodeState, encodeState, parseHeaderJson, validateRequest } from '../../src/serve/protocol.ts';

const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const fieldOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof RequestError) return e.field;
    throw e;
  }
  throw new Error('did not throw');
};

describe('serve protocol v1 validation', () => {
  const act = { v: 1, type: 'act', seq: 3, width: 64, height: 48, encoding: 'rgb8' };

  it('accepts a valid act header and keeps optional fields', () => {
    const r = validateRequest({ ...act, instruction: 'reach the red block', stamp: 12.5, expert_state: { scene: {} }, extra: 'ignored' }, 2);
    expect(r).toEqual({ v: 1, type: 'act', seq: 3, width: 64, height: 48, encoding: 'rgb8', instruction: 'reach the red block', stamp: 12.5, expert_state: { scene: {} } });
  });

  it('names the offending field', () => {
    expect(fieldOf(() => parseHeaderJson(Buffer.from('{nope')))).toBe('header');
    expect(fieldOf(() => parseHeaderJson(json([1, 2])))).toBe('header');
    expect(fieldOf(() => parseHeaderJson(new Uint8Array(0)))).toBe('header');
    expect(fieldOf(() => validateRequest({ ...act, v: 2 }, 1))).toBe('v');
    expect(fieldOf(() => validateRequest({ ...act, type: 'jump' }, 1))).toBe('type');
    expect(fieldOf(() => validateRequest({ ...act, seq: -1 }, 1))).toBe('seq');
    expect(fieldOf(() => validateRequest({ ...act, seq: 1.5 }, 1))).toBe('seq');
    expect(fieldOf(() => validateRequest({ ...act, width: 0 }, 1))).toBe('width');
    expect(fieldOf(() => validateRequest({ ...act, height: '48' }, 1))).toBe('height');
    expect(fieldOf(() => validateRequest({ ...act, encoding: 'bgr8' }, 1))).toBe('encoding');
    expect(fieldOf(() => validateRequest({ ...act, instruction: 7 }, 1))).toBe('instruction');
    expect(fieldOf(() => validateRequest({ ...act, stamp: 'now' }, 1))).toBe('stamp');
    expect(fieldOf(() => validateRequest({ ...act, expert_state: [1] }, 1))).toBe('expert_state');
    expect(fieldOf(() => validateRequest(act, 0))).toBe('frames');
    expect(fieldOf(() => validateRequest(act, 3))).toBe('frames');
    expect(fieldOf(() => validateRequest({ v: 1, type: 'info', seq: 0 }, 1))).toBe('frames');
    expect(fieldOf(() => validateRequest({ v: 1, type: 'reset', seq: 0, seed: -4 }, 0))).toBe('seed');
  });

  it('error messages say what was expected and what came', () => {
    try {
      validateRequest({ ...act, encoding: 'bgr8' }, 1);
    } catch (e) {
      expect((e as Error).message).toBe('bad request: encoding: expected one of rgb8, png, jpeg, got "bgr8"');
    }
  });

  it('round-trips float32 state frames and rejects ragged ones', () => {
    const s = [0.25, -3, 1e-7, 1234.5];
    expect(Array.from(decodeState(encodeState(s)))).toEqual(Array.from(Float32Array.from(s)));
    expect(decodeState(undefined).length).toBe(0);
    expect(fieldOf(() => decodeState(new Uint8Array(6)))).toBe('state');
  });
});
