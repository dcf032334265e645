/**
 * What each latent action code does in native action space: for every code, how often it was
 * chosen and the mean and standard deviation of the native action recorded with it. A consistent
 * code has a small spread; distinct codes have distinct means.
 */
export interface CodeEffect {
  code: number;
  count: number;
  /** Mean native action per dimension (empty when unused). */
  mean: number[];
  /** Standard deviation per dimension. */
  std: number[];
}

export function codeEffects(codes: readonly number[], actions: readonly Float32Array[], numCodes: number): CodeEffect[] {
  const dim = actions[0]?.length ?? 0;
  const out: CodeEffect[] = [];
  for (let c = 0; c < numCodes; c++) {
    const rows = actions.filter((_, i) => codes[i] === c);
    const mean = new Array<number>(rows.length ? dim : 0).fill(0);
    const std = new Array<number>(rows.length ? dim : 0).fill(0);
    for (const r of rows) for (let j = 0; j < dim; j++) mean[j]! += r[j]! / rows.length;
    for (const r of rows) for (let j = 0; j < dim; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
    out.push({ code: c, count: rows.length, mean, std: std.map(Math.sqrt) });
  }
  return out;
}
