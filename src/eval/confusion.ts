/**
 * Confusion matrix of latent codes: rows = the LAM's code for a transition (truth), columns = the
 * code the policy chose for the same frame. Rendered as markdown and as an SVG heatmap.
 */
import { LaraError } from '../util/errors.ts';
import { escapeXml } from './svg.ts';

export interface Confusion {
  codes: number;
  /** counts[truth][pred]. */
  counts: number[][];
  total: number;
  /** Fraction on the diagonal. */
  accuracy: number;
}

export function confusionMatrix(truth: ArrayLike<number>, pred: ArrayLike<number>, codes: number): Confusion {
  if (truth.length !== pred.length) throw new LaraError('confusion matrix: lengths differ', { expected: `${truth.length} predictions`, got: String(pred.length) });
  const counts = Array.from({ length: codes }, () => new Array<number>(codes).fill(0));
  let diag = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = pred[i]!;
    if (!(t >= 0 && t < codes && p >= 0 && p < codes)) throw new LaraError('confusion matrix: code out of range', { where: `item ${i}`, expected: `codes in [0, ${codes})`, got: `${t}, ${p}` });
    counts[t]![p]!++;
    if (t === p) diag++;
  }
  return { codes, counts, total: truth.length, accuracy: truth.length ? diag / truth.length : 0 };
}

export function confusionMarkdown(c: Confusion): string {
  const head = ['LAM \\ policy', ...Array.from({ length: c.codes }, (_, j) => String(j))];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  c.counts.forEach((r, i) => lines.push(`| **${i}** | ${r.join(' | ')} |`));
  lines.push('', `accuracy ${(100 * c.accuracy).toFixed(1)}% over ${c.total} transitions`);
  return lines.join('\n') + '\n';
}

export function confusionSvg(c: Confusion, title = 'policy code vs LAM code'): string {
  const cell = Math.max(24, Math.min(48, Math.floor(480 / c.codes)));
  const m = { l: 70, t: 60 };
  const W = m.l + cell * c.codes + 20;
  const H = m.t + cell * c.codes + 40;
  const rowMax = c.counts.map((r) => Math.max(1, r.reduce((a, b) => a + b, 0)));
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  out.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)} (acc ${(100 * c.accuracy).toFixed(1)}%)</text>`);
  out.push(`<text x="${m.l + (cell * c.codes) / 2}" y="${m.t - 22}" text-anchor="middle">policy code</text>`);
  out.push(`<text transform="translate(18 ${m.t + (cell * c.codes) / 2}) rotate(-90)" text-anchor="middle">LAM code</text>`);
  for (let i = 0; i < c.codes; i++) {
    out.push(`<text x="${m.l + i * cell + cell / 2}" y="${m.t - 6}" text-anchor="middle">${i}</text>`);
    out.push(`<text x="${m.l - 6}" y="${m.t + i * cell + cell / 2 + 4}" text-anchor="end">${i}</text>`);
    for (let j = 0; j < c.codes; j++) {
      const v = c.counts[i]![j]!;
      const f = v / rowMax[i]!; // row-normalised shade
      const shade = Math.round(255 * (1 - f));
      out.push(`<rect x="${m.l + j * cell}" y="${m.t + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#999"><title>LAM ${i}, policy ${j}: ${v}</title></rect>`);
      out.push(`<text x="${m.l + j * cell + cell / 2}" y="${m.t + i * cell + cell / 2 + 4}" text-anchor="middle" fill="${f > 0.6 ? 'white' : 'black'}">${v}</text>`);
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
