/**
 * Plain SVG charts (no dependencies): a line chart with optional interval bars, for sweeps such
 * as success vs number of labelled transitions, and a bar chart (code histograms, success rates).
 */
export interface SeriesPoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}
export interface Series {
  name: string;
  points: SeriesPoint[];
}
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  /** y range; defaults to the data's (0..1 is typical for success rates). */
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fmt(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

export function lineChartSvg(o: LineChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 400;
  const m = { l: 60, r: 150, t: 36, b: 50 };
  const pts = o.series.flatMap((s) => s.points);
  const xs = pts.map((p) => p.x);
  const tx = (v: number): number => (o.logX ? Math.log10(v) : v);
  let x0 = Math.min(...xs.map(tx));
  let x1 = Math.max(...xs.map(tx));
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  let y0 = o.yMin ?? Math.min(...pts.map((p) => p.lo ?? p.y));
  let y1 = o.yMax ?? Math.max(...pts.map((p) => p.hi ?? p.y));
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  const px = (v: number): number => m.l + ((tx(v) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (v: number): number => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - m.r / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`);
  // axes and ticks
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`);
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  for (const v of xTicks) out.push(`<line x1="${px(v)}" y1="${H - m.b}" x2="${px(v)}" y2="${H - m.b + 5}" stroke="black"/><text x="${px(v)}" y="${H - m.b + 18}" text-anchor="middle">${fmt(v)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = y0 + ((y1 - y0) * i) / 5;
    out.push(`<line x1="${m.l - 5}" y1="${py(v)}" x2="${W - m.r}" y2="${py(v)}" stroke="#ddd"/><text x="${m.l - 8}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    for (const p of sorted) {
      if (p.lo !== undefined && p.hi !== undefined) out.push(`<line x1="${px(p.x)}" y1="${py(p.lo)}" x2="${px(p.x)}" y2="${py(p.hi)}" stroke="${c}" stroke-opacity="0.5" stroke-width="2"/>`);
    }
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${sorted.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of sorted) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${c}"><title>${escapeXml(s.name)}: x=${p.x}, y=${fmt(p.y)}</title></circle>`);
    out.push('</g>');
    out.push(`<line x1="${W - m.r + 12}" y1="${m.t + 10 + i * 18}" x2="${W - m.r + 32}" y2="${m.t + 10 + i * 18}" stroke="${c}" stroke-width="2"/><text x="${W - m.r + 38}" y="${m.t + 14 + i * 18}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export interface Bar {
  label: string;
  value: number;
  /** Optional interval drawn as a whisker (e.g. a 95% CI). */
  lo?: number;
  hi?: number;
  /** Text over the bar (default: the value). */
  note?: string;
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  bars: Bar[];
  /** y range; default 0 .. the largest value or whisker. */
  yMax?: number;
  width?: number;
  height?: number;
}

export function barChartSvg(o: BarChartOptions): string {
  const W = o.width ?? Math.max(320, 90 + 56 * o.bars.length);
  const H = o.height ?? 300;
  const m = { l: 60, r: 20, t: 48, b: 50 };
  let y1 = o.yMax ?? Math.max(...o.bars.map((b) => Math.max(b.value, b.hi ?? 0)));
  if (!(y1 > 0)) y1 = 1;
  const slot = (W - m.l - m.r) / Math.max(1, o.bars.length);
  const py = (v: number): number => H - m.b - (v / y1) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (y1 * i) / 4;
    out.push(`<line x1="${m.l - 5}" y1="${py(v)}" x2="${W - m.r}" y2="${py(v)}" stroke="#ddd"/><text x="${m.l - 8}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  o.bars.forEach((b, i) => {
    const x = m.l + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const c = COLORS[i % COLORS.length]!;
    out.push(`<rect class="bar" data-label="${escapeXml(b.label)}" x="${x.toFixed(1)}" y="${py(b.value).toFixed(1)}" width="${w.toFixed(1)}" height="${(H - m.b - py(b.value)).toFixed(1)}" fill="${c}"><title>${escapeXml(b.label)}: ${fmt(b.value)}</title></rect>`);
    if (b.lo !== undefined && b.hi !== undefined) out.push(`<line x1="${x + w / 2}" y1="${py(b.lo)}" x2="${x + w / 2}" y2="${py(b.hi)}" stroke="black" stroke-width="1.5"/>`);
    out.push(`<text x="${x + w / 2}" y="${py(Math.max(b.value, b.hi ?? 0)) - 5}" text-anchor="middle">${escapeXml(b.note ?? fmt(b.value))}</text>`);
    out.push(`<text x="${x + w / 2}" y="${H - m.b + 18}" text-anchor="middle">${escapeXml(b.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
