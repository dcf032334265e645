/**
 * The label report: how often each code was used, what native actions came with each code (mean
 * and spread per DoF, when the data has actions), and a PNG strip of example transitions per
 * code (row c: pairs x_t | x_{t+1} labelled with code c).
 */
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import type { Rng } from '../util/rng.ts';

export interface CodeSummary {
  code: number;
  count: number;
  fraction: number;
  /** Per action dim, when the data has actions. */
  actionMean?: number[];
  actionStd?: number[];
}

export interface LabelReport {
  codes: number;
  transitions: number;
  episodes: number;
  framesPerSecond: number;
  /** Frames ahead each transition was read over (the pair x_t, x_{t+horizon}). */
  horizon: number;
  backend: string;
  /** Codes never used. */
  unused: number[];
  /** Perplexity of the code histogram (exp of its entropy; |A| when uniform). */
  perplexity: number;
  actionNames?: string[];
  perCode: CodeSummary[];
}

export function summariseCodes(codes: readonly Int32Array[], numCodes: number, actions?: readonly (Float32Array[] | undefined)[]): Omit<LabelReport, 'framesPerSecond' | 'backend' | 'episodes' | 'horizon'> {
  const count = new Array<number>(numCodes).fill(0);
  const a = actions?.find((x) => x && x.length)?.[0]?.length ?? 0;
  const sum = Array.from({ length: numCodes }, () => new Float64Array(a));
  const sq = Array.from({ length: numCodes }, () => new Float64Array(a));
  codes.forEach((cs, k) => {
    cs.forEach((c, t) => {
      count[c]!++;
      const u = actions?.[k]?.[t];
      if (u) for (let j = 0; j < a; j++) {
        sum[c]![j]! += u[j]!;
        sq[c]![j]! += u[j]! * u[j]!;
      }
    });
  });
  const total = count.reduce((x, y) => x + y, 0);
  let entropy = 0;
  for (const n of count) if (n > 0) entropy -= (n / total) * Math.log(n / total);
  const perCode: CodeSummary[] = count.map((n, c) => {
    const s: CodeSummary = { code: c, count: n, fraction: total ? n / total : 0 };
    if (a > 0 && n > 0) {
      s.actionMean = Array.from(sum[c]!, (v) => v / n);
      s.actionStd = Array.from(sq[c]!, (v, j) => Math.sqrt(Math.max(0, v / n - (s.actionMean![j]!) ** 2)));
    }
    return s;
  });
  return { codes: numCodes, transitions: total, unused: count.flatMap((n, c) => (n === 0 ? [c] : [])), perplexity: Math.exp(entropy), perCode };
}

/** Keeps up to `perCode` example transitions per code by reservoir sampling (seeded). */
export class ExampleCollector {
  readonly examples: { k: number; t: number; x0: Uint8Array; x1: Uint8Array }[][];
  #seen: number[];

  constructor(readonly numCodes: number, readonly perCode: number, readonly rng: Rng) {
    this.examples = Array.from({ length: numCodes }, () => []);
    this.#seen = new Array<number>(numCodes).fill(0);
  }

  add(k: number, t: number, code: number, x0: Uint8Array, x1: Uint8Array): void {
    const n = ++this.#seen[code]!;
    const list = this.examples[code]!;
    if (list.length < this.perCode) list.push({ k, t, x0, x1 });
    else {
      const j = this.rng.int(n);
      if (j < this.perCode) list[j] = { k, t, x0, x1 };
    }
  }
}

/**
 * PNG strip: one row per code, `perCode` pairs (x_t | x_{t+1}) per row, a 2-pixel gap between
 * frames and 6 pixels between pairs, grey where a code has fewer examples.
 */
export async function stripPng(ex: ExampleCollector, width: number, height: number): Promise<Uint8Array> {
  const pairW = 2 * width + 2;
  const W = ex.perCode * pairW + (ex.perCode - 1) * 6;
  const rowH = height + 4;
  const H = ex.numCodes * rowH;
  const img = new Uint8Array(W * H * 3).fill(128);
  const blit = (f: Uint8Array, x0: number, y0: number): void => {
    for (let y = 0; y < height; y++) img.set(f.subarray(y * width * 3, (y + 1) * width * 3), ((y0 + y) * W + x0) * 3);
  };
  ex.examples.forEach((list, c) => {
    list.forEach((e, i) => {
      const x = i * (pairW + 6);
      blit(e.x0, x, c * rowH + 2);
      blit(e.x1, x + width + 2, c * rowH + 2);
    });
  });
  return new Uint8Array(await sharp(img, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer());
}

export function reportMarkdown(r: LabelReport): string {
  const lines = [
    `# Label report`,
    '',
    `${r.transitions} transitions in ${r.episodes} episodes labelled with ${r.codes} codes at ${r.framesPerSecond.toFixed(1)} frames/s (${r.backend})${r.horizon > 1 ? `, each from the pair (x_t, x_{t+${r.horizon}})` : ''}.`,
    `Code perplexity ${r.perplexity.toFixed(2)} of ${r.codes}${r.unused.length ? `; unused codes: ${r.unused.join(', ')}` : ''}.`,
    '',
  ];
  const names = r.actionNames ?? [];
  const head = ['code', 'count', 'share', ...names.map((n) => `${n} mean ± std`)];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const c of r.perCode) {
    const cells = [String(c.code), String(c.count), `${(100 * c.fraction).toFixed(1)}%`, ...names.map((_, j) => (c.actionMean ? `${c.actionMean[j]!.toFixed(3)} ± ${c.actionStd![j]!.toFixed(3)}` : '–'))];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', 'Example transitions per code (row = code, pairs x_t | x_t+1): `strip.png`.', '');
  return lines.join('\n');
}

export async function writeLabelReport(dir: string, r: LabelReport, ex: ExampleCollector, width: number, height: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeJsonAtomic(join(dir, 'report.json'), r);
  writeFileAtomic(join(dir, 'report.md'), reportMarkdown(r));
  writeFileAtomic(join(dir, 'strip.png'), await stripPng(ex, width, height));
}
