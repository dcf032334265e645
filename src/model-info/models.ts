/**
 * Analytic cost of the three Genie models from their configs (one clip of T frames), mirroring
 * src/tokenizer, src/lam and src/dynamics module by module. Positional embeddings are a learned
 * spatial table [N, d] plus a temporal table [T, d].
 */
import type { DynamicsModelConfig } from '../dynamics/config.ts';
import type { LamModelConfig } from '../lam/config.ts';
import type { TokenizerModelConfig } from '../tokenizer/config.ts';
import { add, linear, stStack, table, tokenMlpStack, vq, zero, type Cost } from './cost.ts';

export interface Breakdown {
  total: Cost;
  parts: Record<string, Cost>;
}

function breakdown(parts: Record<string, Cost>): Breakdown {
  return { total: add(...Object.values(parts)), parts };
}

const pos = (n: number, t: number, d: number): Cost => add(table(n, d), table(t, d));

export function tokenizerCost(c: TokenizerModelConfig): Breakdown {
  const t = c.frames;
  const n = (c.height / c.patch) * (c.width / c.patch);
  const m = t * n;
  const pix = c.patch * c.patch * c.channels;
  const e = c.encoder.width;
  const d = c.decoder.width;
  return breakdown({
    encoder: c.localEncoder
      ? add(linear(m, pix, e), tokenMlpStack(m, c.encoder), linear(m, e, c.codeDim))
      : add(linear(m, pix, e), pos(n, t, e), stStack(t, n, c.encoder), linear(m, e, c.codeDim)),
    quantizer: vq(m, c.codes, c.codeDim),
    decoder: add(linear(m, c.codeDim, d), pos(n, t, d), stStack(t, n, c.decoder), linear(m, d, pix)),
  });
}

/** Tokens per frame and the size of one token's input for the LAM's input modality. */
function lamGrid(c: LamModelConfig): { n: number; inDim: number } {
  if (c.input === 'tokens') return { n: (c.height / c.tokenPatch) * (c.width / c.tokenPatch), inDim: c.tokenVocab };
  return { n: (c.height / c.patch) * (c.width / c.patch), inDim: c.patch * c.patch * c.channels };
}

export function lamCost(c: LamModelConfig): Breakdown {
  const t = c.frames;
  const { n, inDim } = lamGrid(c);
  const m = t * n;
  const e = c.encoder.width;
  const d = c.decoder.width;
  const md = (t - 1) * n; // decoder sees x_1..x_{T-1}
  const warp = c.input !== 'tokens' && c.head === 'warp';
  // warp head: painted pixels + K+1 mask logits per pixel, and K kernels of k² taps from a_t
  const outDim = c.input === 'tokens' ? c.tokenVocab : warp ? c.patch * c.patch * (c.channels + c.warpKernels + 1) : inDim;
  const bias = c.input !== 'tokens'; // token inputs use an embedding table (no bias)
  return breakdown({
    // each frame's patches plus one learned action token
    encoder: c.input !== 'tokens' && c.encoderKind === 'keypoints' ? lamKeypointEncoder(c) : add(linear(m, inDim, e, bias), table(1, e), pos(n + 1, t, e), stStack(t, n + 1, c.encoder), linear(t - 1, e, c.codeDim)),
    quantizer: vq(t - 1, c.codes, c.codeDim),
    decoder: add(linear(md, inDim, d, bias), linear(md, c.codeDim, d), pos(n, t, d), stStack(t - 1, n, c.decoder), linear(md, d, outDim), table(c.input === 'tokens' && c.residual ? 1 : 0, 1), warp ? linear(t - 1, c.codeDim, c.warpKernels * c.warpSize * c.warpSize) : zero()),
  });
}

/** encoderKind 'keypoints': the soft-argmax MLP over every position of every frame, its sharpness, and the displacement → code map. */
function lamKeypointEncoder(c: LamModelConfig): Cost {
  const positions = c.frames * (c.height / c.kpPatch) * (c.width / c.kpPatch);
  const p = c.kpPatch * c.kpPatch * c.channels;
  return add(linear(positions, p, c.kpHidden), linear(positions, c.kpHidden, c.keypoints), table(1, 1), linear(c.frames - 1, 2 * c.keypoints, c.codeDim));
}

export function dynamicsCost(c: DynamicsModelConfig): Breakdown {
  const t = c.frames;
  const n = c.gridH * c.gridW;
  const m = t * n;
  const d = c.body.width;
  return breakdown({
    // one-hot matmul embedding over vocab + 1 (the mask token)
    embed: add(linear(m, c.vocab + 1, d, false), pos(n, t, d), linear(m, c.actionDim, d)),
    body: c.spatialBias ? add(stStack(t, n, c.body), relBias(c)) : stStack(t, n, c.body),
    head: linear(m, d, c.vocab),
  });
}

/**
 * spatialBias: per block a [H, (2·gridH−1) + (2·gridW−1)] table, expanded to row and column
 * pair biases by two one-hot matmuls, broadcast-added to [H, N, N] and added to every frame's scores.
 */
function relBias(c: DynamicsModelConfig): Cost {
  const [r, w] = [c.gridH, c.gridW];
  const n = r * w;
  const h = c.body.heads;
  const expand = 2 * h * ((2 * r - 1) * r * r + (2 * w - 1) * w * w) + h * n * n;
  return { params: c.body.layers * h * (2 * r - 1 + 2 * w - 1), flops: c.body.layers * (expand + c.frames * h * n * n), acts: c.body.layers * h * n * n };
}

export { zero };
