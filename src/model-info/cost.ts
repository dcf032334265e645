/**
 * Analytic cost of lara's building blocks, computed from sizes alone (no weights are allocated).
 * Every function returns the cost of one clip: parameters, forward FLOPs (a multiply-add counts
 * 2) and activations kept for the backward pass (float count). The parameter layout mirrors the
 * blocks of src/nn (linear w [in,out] + b [out]; LayerNorm gain + bias; attention qkv [d,3d] +
 * bias and out [d,d] + bias; QK-norm adds a gain + bias of head size for q and k); a test checks
 * these counts against real models built from src/nn.
 *
 * Dimension legend: M tokens in the clip, G attention groups, S sequence length per group,
 * d width, h heads, m FFN multiple.
 */
export interface Cost {
  params: number;
  flops: number;
  acts: number;
}

export const zero = (): Cost => ({ params: 0, flops: 0, acts: 0 });

export function add(...cs: Cost[]): Cost {
  const out = zero();
  for (const c of cs) {
    out.params += c.params;
    out.flops += c.flops;
    out.acts += c.acts;
  }
  return out;
}

export function times(c: Cost, n: number): Cost {
  return { params: c.params * n, flops: c.flops * n, acts: c.acts * n };
}

/** Dense layer over M tokens: [M, din] → [M, dout]. */
export function linear(m: number, din: number, dout: number, bias = true): Cost {
  return { params: din * dout + (bias ? dout : 0), flops: 2 * m * din * dout, acts: m * dout };
}

export function layerNorm(m: number, d: number): Cost {
  return { params: 2 * d, flops: 8 * m * d, acts: m * d };
}

/** A parameter table with no per-token compute worth counting (positional tables, codebooks). */
export function table(rows: number, cols: number): Cost {
  return { params: rows * cols, flops: 0, acts: 0 };
}

/** Multi-head self-attention over G groups of S tokens each (M = G·S). */
export function attention(g: number, s: number, d: number, h: number, qkNorm: boolean): Cost {
  const m = g * s;
  const scores: Cost = { params: 0, flops: 4 * g * s * s * d + 5 * g * h * s * s, acts: 2 * g * h * s * s };
  const norm: Cost = qkNorm ? { params: 4 * (d / h), flops: 16 * m * d, acts: 2 * m * d } : zero();
  return add(linear(m, d, 3 * d), norm, scores, { params: 0, flops: 0, acts: m * d }, linear(m, d, d));
}

/** Feed-forward layer d → m·d → d with a GELU between. */
export function ffn(tokens: number, d: number, mult: number): Cost {
  return add(linear(tokens, d, mult * d), { params: 0, flops: 8 * tokens * mult * d, acts: tokens * mult * d }, linear(tokens, mult * d, d));
}

export interface StSize {
  layers: number;
  width: number;
  heads: number;
  ffnMult: number;
  qkNorm: boolean;
}

/** One ST block over T frames of N tokens: LN → spatial attn, LN → causal temporal attn, LN → FFN. */
export function stBlock(t: number, n: number, s: StSize): Cost {
  const m = t * n;
  const d = s.width;
  return add(
    layerNorm(m, d),
    attention(t, n, d, s.heads, s.qkNorm),
    layerNorm(m, d),
    attention(n, t, d, s.heads, s.qkNorm),
    layerNorm(m, d),
    ffn(m, d, s.ffnMult),
  );
}

/** A stack of ST blocks followed by a final LayerNorm. */
export function stStack(t: number, n: number, s: StSize): Cost {
  return add(times(stBlock(t, n, s), s.layers), layerNorm(t * n, s.width));
}

/** Token-wise residual blocks (LN → FFN) over M tokens (src/nn/token_mlp.ts), then the model's final LayerNorm, as stStack counts it. */
export function tokenMlpStack(m: number, s: Pick<StSize, 'layers' | 'width' | 'ffnMult'>): Cost {
  return add(times(add(layerNorm(m, s.width), ffn(m, s.width, s.ffnMult)), s.layers), layerNorm(m, s.width));
}

/** Vector quantizer: codebook [K, D] and nearest-code search for M vectors. */
export function vq(m: number, codes: number, dim: number): Cost {
  return { params: codes * dim, flops: 3 * m * codes * dim, acts: m * dim };
}
