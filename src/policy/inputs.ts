/**
 * Turning observations into the policy's input arrays (in JS, no gradient needed):
 * frames → patches [T, N, P] in [0, 1] (optionally shifted by a few pixels, edge-padded, as
 * augmentation), instruction → bag of words [V], state → normalised [S].
 * Dimension legend: B batch, T frames, N = (H/p)(W/p) patches, P = p·p·3, V buckets, S state.
 */
import { LaraError } from '../util/errors.ts';
import { instructionVector } from './instruction.ts';

export interface PolicyInputSpec {
  width: number;
  height: number;
  frames: number;
  patch: number;
  vocab: number;
  stateDim: number;
  stateMean: number[];
  stateStd: number[];
}

export interface PolicyBatch {
  b: number;
  /** [B, T, N, P] */
  patches: Float32Array;
  /** [B, V] */
  instr: Float32Array;
  /** [B, S] (normalised) */
  state: Float32Array;
}

export const numPatches = (s: PolicyInputSpec): number => (s.width / s.patch) * (s.height / s.patch);
export const patchDim = (s: PolicyInputSpec): number => s.patch * s.patch * 3;

export function checkSpec(s: PolicyInputSpec): void {
  if (s.width % s.patch !== 0 || s.height % s.patch !== 0) {
    throw new LaraError('policy: image size is not a multiple of the patch size', { where: 'encoder.patch', expected: `a divisor of ${s.width} and ${s.height}`, got: String(s.patch) });
  }
}

/** Write one frame's patches into out at offset (N·P floats), shifted by (dx, dy) pixels. */
export function patchify(img: Uint8Array, s: PolicyInputSpec, out: Float32Array, offset: number, dx = 0, dy = 0): void {
  const { width: w, height: h, patch: p } = s;
  if (img.length !== w * h * 3) throw new LaraError('policy: frame has the wrong size', { expected: `${w}x${h}x3 = ${w * h * 3} bytes`, got: String(img.length) });
  const pw = w / p;
  let o = offset;
  for (let py = 0; py < h / p; py++) {
    for (let px = 0; px < pw; px++) {
      for (let y = 0; y < p; y++) {
        const sy = Math.min(h - 1, Math.max(0, py * p + y - dy));
        for (let x = 0; x < p; x++) {
          const sx = Math.min(w - 1, Math.max(0, px * p + x - dx));
          const si = (sy * w + sx) * 3;
          out[o++] = img[si]! / 255;
          out[o++] = img[si + 1]! / 255;
          out[o++] = img[si + 2]! / 255;
        }
      }
    }
  }
}

export interface PolicySample {
  /** T frames, oldest first (earlier frames repeat the first one at an episode start). */
  frames: Uint8Array[];
  instruction: string;
  state?: Float32Array;
  /** Augmentation shift for this sample (same for all its frames). */
  shift?: [number, number];
}

export function buildBatch(samples: readonly PolicySample[], s: PolicyInputSpec): PolicyBatch {
  const b = samples.length;
  const n = numPatches(s);
  const pd = patchDim(s);
  const patches = new Float32Array(b * s.frames * n * pd);
  const instr = new Float32Array(b * s.vocab);
  const state = new Float32Array(b * s.stateDim);
  samples.forEach((smp, i) => {
    if (smp.frames.length !== s.frames) throw new LaraError('policy: wrong number of frames', { expected: String(s.frames), got: String(smp.frames.length) });
    smp.frames.forEach((f, t) => patchify(f, s, patches, (i * s.frames + t) * n * pd, smp.shift?.[0] ?? 0, smp.shift?.[1] ?? 0));
    instructionVector(smp.instruction, s.vocab, instr.subarray(i * s.vocab, (i + 1) * s.vocab));
    for (let j = 0; j < s.stateDim; j++) state[i * s.stateDim + j] = ((smp.state?.[j] ?? s.stateMean[j]!) - s.stateMean[j]!) / s.stateStd[j]!;
  });
  return { b, patches, instr, state };
}
