/** Markdown summaries of world-model evaluations (the JSON report holds every number). */
import type { WorldModelReport } from './evaluate.ts';

const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

export function formatWorldModelReport(r: WorldModelReport): string {
  const g = r.generation;
  const lines = [
    `World-model evaluation on ${r.clips} held-out clips of ${r.frames} frames`,
    '',
    '| metric | value |',
    '|---|---|',
    `| tokenizer recon PSNR (dB) | ${f(r.tokenizer.psnr)} |`,
    `| tokenizer recon SSIM | ${f(r.tokenizer.ssim, 3)} |`,
    `| tokenizer codes used / perplexity | ${r.tokenizer.codebook.used}/${r.tokenizer.codebook.codes} / ${f(r.tokenizer.codebook.perplexity, 1)} |`,
    `| LAM codes used / perplexity | ${r.lam.codebook.used}/${r.lam.codebook.codes} / ${f(r.lam.codebook.perplexity, 2)} |`,
    `| dynamics masked-token accuracy | ${f(r.dynamics.maskedAccuracy, 3)} |`,
    `| dynamics masked-token cross-entropy | ${f(r.dynamics.crossEntropy, 3)} |`,
    `| ΔtPSNR at t=${g.deltaT} (dB) | ${f(g.deltaTPsnr)}${g.deltaTPsnrCi95 ? ` [${f(g.deltaTPsnrCi95.lo)}, ${f(g.deltaTPsnrCi95.hi)}]` : ''} |`,
    `| rollouts per clip and branch | ${g.samples} |`,
    '',
    '| t | PSNR inferred actions | PSNR random actions | PSNR prompt held still |',
    '|---|---|---|---|',
    ...g.psnrInferred.map((p, i) => `| ${i + 1}${i === 0 ? ' (prompt)' : ''} | ${f(p)} | ${f(g.psnrRandom[i])} | ${f(g.psnrHeld[i])} |`),
  ];
  if (r.lam.effects) {
    lines.push('', '| LAM code | count | mean native action | std |', '|---|---|---|---|');
    for (const e of r.lam.effects) lines.push(`| ${e.code} | ${e.count} | ${e.mean.map((v) => v.toFixed(2)).join(' ')} | ${e.std.map((v) => v.toFixed(2)).join(' ')} |`);
  }
  return lines.join('\n');
}

export interface AblationRow {
  name: string;
  report: WorldModelReport;
}

/** Genie Table 2 style: LAM input vs ΔtPSNR (plus generation PSNR and LAM code use). */
export function formatAblation(rows: AblationRow[]): string {
  const out = ['| LAM input | ΔtPSNR (dB) [95% CI] | PSNR@t inferred | PSNR@t random | LAM codes used | dynamics acc |', '|---|---|---|---|---|---|'];
  for (const { name, report: r } of rows) {
    const g = r.generation;
    const i = g.deltaT - 1;
    const ci = g.deltaTPsnrCi95 ? ` [${f(g.deltaTPsnrCi95.lo)}, ${f(g.deltaTPsnrCi95.hi)}]` : '';
    out.push(`| ${name} | ${f(g.deltaTPsnr)}${ci} | ${f(g.psnrInferred[i])} | ${f(g.psnrRandom[i])} | ${r.lam.codebook.used}/${r.lam.codebook.codes} | ${f(r.dynamics.maskedAccuracy, 3)} |`);
  }
  return out.join('\n');
}
