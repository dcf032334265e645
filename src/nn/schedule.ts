/** Learning-rate schedules: a function from the 1-based optimizer step to a learning rate. */
export type Schedule = (step: number) => number;

export interface WarmupCosineOptions {
  /** Peak learning rate reached at the end of warmup. */
  peak: number;
  /** Linear warmup steps (lr = peak·step/warmup for step ≤ warmup). */
  warmup: number;
  /** Step at which the cosine decay ends; after it lr stays at `final`. */
  total: number;
  /** Final learning rate (default 0; set final = peak for constant after warmup, as Genie's tokenizer). */
  final?: number;
}

/** Linear warmup from 0 to peak, then cosine decay from peak to final at `total`. */
export function warmupCosine(o: WarmupCosineOptions): Schedule {
  const final = o.final ?? 0;
  return (step: number) => {
    if (o.warmup > 0 && step <= o.warmup) return (o.peak * step) / o.warmup;
    const span = Math.max(1, o.total - o.warmup);
    const prog = Math.min(1, Math.max(0, (step - o.warmup) / span));
    return final + 0.5 * (o.peak - final) * (1 + Math.cos(Math.PI * prog));
  };
}

export function constantLr(lr: number): Schedule {
  return () => lr;
}
