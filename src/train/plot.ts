/**
 * Loss curves in a terminal: a one-line sparkline and a small ASCII chart with a y axis. Values
 * are averaged into as many buckets as there are columns.
 */

/** Mean of each of `n` consecutive buckets of `values` (fewer when there are fewer values). */
export function bucketMeans(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor((i * values.length) / n);
    const b = Math.floor(((i + 1) * values.length) / n);
    let s = 0;
    for (let j = a; j < b; j++) s += values[j]!;
    out.push(s / (b - a));
  }
  return out;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** `▇▆▅▄▃▂▂▁`: one character per bucket, lowest value = ▁, highest = █. */
export function sparkline(values: readonly number[], width = 40): string {
  const v = bucketMeans(values.filter(Number.isFinite), width);
  if (!v.length) return '';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => BLOCKS[hi > lo ? Math.round(((x - lo) / (hi - lo)) * (BLOCKS.length - 1)) : 0]).join('');
}

/**
 * A `height`-row chart of `values` (plain ASCII): y labels on the left, one `*` per column,
 * x axis labelled with the first and last step.
 */
export function asciiPlot(values: readonly number[], o: { width?: number; height?: number; firstStep?: number } = {}): string {
  const width = o.width ?? 60;
  const height = o.height ?? 8;
  const v = bucketMeans(values.filter(Number.isFinite), width);
  if (!v.length) return '(no values)';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const span = hi - lo || 1;
  const label = (y: number): string => y.toFixed(3).padStart(8);
  const rows: string[] = [];
  for (let r = 0; r < height; r++) {
    const top = hi - (r * span) / height;
    const bottom = hi - ((r + 1) * span) / height;
    let line = '';
    for (const x of v) line += (x <= top && x > bottom) || (r === height - 1 && x <= bottom + 1e-12) || (r === 0 && x >= top) ? '*' : ' ';
    rows.push(`${r === 0 ? label(hi) : r === height - 1 ? label(lo) : ' '.repeat(8)} |${line}`);
  }
  const first = o.firstStep ?? 1;
  const last = first + values.length - 1;
  rows.push(`${' '.repeat(8)} +${'-'.repeat(v.length)}`);
  const right = `step ${last}`;
  rows.push(`${' '.repeat(10)}step ${first}${' '.repeat(Math.max(1, v.length - right.length - `step ${first}`.length))}${right}`);
  return rows.join('\n');
}
