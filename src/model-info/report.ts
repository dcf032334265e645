/**
 * `modelInfo(component, config)`: parameter count, FLOPs per training step and memory estimates
 * computed analytically (nothing is allocated), for `lara model info`.
 */
import type { DynamicsConfig } from '../dynamics/config.ts';
import type { LamConfig } from '../lam/config.ts';
import type { TokenizerConfig } from '../tokenizer/config.ts';
import type { WorldModelConfig } from '../world/config.ts';
import { dynamicsCost, lamCost, tokenizerCost, type Breakdown } from './models.ts';
import { add } from './cost.ts';

export type Component = 'tokenizer' | 'lam' | 'dynamics' | 'world-model';

export interface ModelInfo {
  component: Component;
  params: number;
  /** Parameters per part (encoder, quantizer, decoder / embed, body, head). */
  partParams: Record<string, number>;
  /** Forward FLOPs for one clip. */
  forwardFlopsPerClip: number;
  /** Forward + backward (≈ 3× forward) for one batch of `batch` clips. */
  trainFlopsPerStep: number;
  batch: number;
  /** float32 activations kept for backward, one clip (estimate: every op output stored). */
  activationBytesPerClip: number;
  /** float32 weights + gradients + AdamW moments (16 bytes per parameter). */
  trainStateBytes: number;
  /** Estimated training memory for one step: train state + batch activations. */
  trainMemoryBytes: number;
}

export function modelInfo(component: 'tokenizer', cfg: TokenizerConfig): ModelInfo;
export function modelInfo(component: 'lam', cfg: LamConfig): ModelInfo;
export function modelInfo(component: 'dynamics', cfg: DynamicsConfig): ModelInfo;
export function modelInfo(component: 'world-model', cfg: WorldModelConfig): ModelInfo;
export function modelInfo(component: Component, cfg: TokenizerConfig | LamConfig | DynamicsConfig | WorldModelConfig): ModelInfo;
export function modelInfo(component: Component, cfg: TokenizerConfig | LamConfig | DynamicsConfig | WorldModelConfig): ModelInfo {
  let b: Breakdown;
  if (component === 'tokenizer') b = tokenizerCost((cfg as TokenizerConfig).model);
  else if (component === 'lam') b = lamCost((cfg as LamConfig).model);
  else if (component === 'dynamics') b = dynamicsCost((cfg as DynamicsConfig).model);
  else {
    // LAM + dynamics co-trained (the tokenizer is frozen and not counted)
    const w = cfg as WorldModelConfig;
    const l = lamCost(w.lam).total;
    const d = dynamicsCost(w.dynamics).total;
    b = { total: add(l, d), parts: { lam: l, dynamics: d } };
  }
  const batch = cfg.train.batch;
  const partParams: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.parts)) partParams[k] = v.params;
  const act = b.total.acts * 4;
  const state = b.total.params * 16;
  return {
    component,
    params: b.total.params,
    partParams,
    forwardFlopsPerClip: b.total.flops,
    trainFlopsPerStep: 3 * b.total.flops * batch,
    batch,
    activationBytesPerClip: act,
    trainStateBytes: state,
    trainMemoryBytes: state + act * batch,
  };
}

/** 2.52e9 → "2.52B", 3.1e6 → "3.10M". */
export function human(n: number, unit = ''): string {
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, s] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(2)}${unit === 'params' ? (s === 'G' ? 'B' : s) : s}${unit === 'params' ? '' : unit}`;
  return `${n}${unit === 'params' ? '' : unit}`;
}

export function formatInfo(i: ModelInfo): string {
  const lines = [
    `${i.component}: ${human(i.params, 'params')} parameters (${i.params.toLocaleString('en-US')})`,
    ...Object.entries(i.partParams).map(([k, v]) => `  ${k}: ${human(v, 'params')}`),
    `forward FLOPs per clip: ${human(i.forwardFlopsPerClip, 'FLOP')}`,
    `training FLOPs per step (batch ${i.batch}, 3x forward): ${human(i.trainFlopsPerStep, 'FLOP')}`,
    `activation memory per clip (float32, estimate): ${human(i.activationBytesPerClip, 'B')}`,
    `weights + grads + AdamW state (float32): ${human(i.trainStateBytes, 'B')}`,
    `training memory per step (estimate): ${human(i.trainMemoryBytes, 'B')}`,
  ];
  return lines.join('\n');
}
