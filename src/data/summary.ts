/** Human-readable summary of a dataset (used by `lara dataset info`). */
import type { Dataset } from './Dataset.ts';

export interface DatasetSummary {
  dir: string;
  info: Dataset['info'];
  lengths: { min: number; max: number; mean: number; median: number };
  bytes: number;
  splits: { train: number; val: number } | null;
}

export function summarize(ds: Dataset): DatasetSummary {
  const lens = ds.index.episodes.map((e) => e.length).sort((a, b) => a - b);
  const n = lens.length;
  return {
    dir: ds.dir,
    info: ds.info,
    lengths: { min: lens[0] ?? 0, max: lens[n - 1] ?? 0, mean: n ? lens.reduce((s, v) => s + v, 0) / n : 0, median: n ? lens[Math.floor((n - 1) / 2)]! : 0 },
    bytes: ds.index.episodes.reduce((s, e) => s + e.bytes, 0),
    splits: ((s) => (s ? { train: s.train.length, val: s.val.length } : null))(ds.splits()),
  };
}

const f = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

export function formatSummary(s: DatasetSummary): string {
  const i = s.info;
  const rows: [string, string][] = [
    ['dataset', s.dir],
    ['format_version', String(i.format_version)],
    ['robot', i.robot],
    ['fps', String(i.fps)],
    ['cameras', i.cameras.map((c) => `${c.name} ${c.width}x${c.height} ${c.encoding}`).join(', ')],
    ['episodes', String(i.num_episodes)],
    ['steps', String(i.num_steps)],
    ['episode length', `min ${s.lengths.min}, median ${s.lengths.median}, mean ${s.lengths.mean.toFixed(1)}, max ${s.lengths.max}`],
    ['size on disk', `${(s.bytes / 1e6).toFixed(2)} MB (episodes)`],
    ['actions', i.action ? `${i.action.dim}-D: ${i.action.names.join(', ')}` : 'none (video only)'],
    ['state', i.state ? `${i.state.dim}-D` : 'none'],
    ['latents', i.has_latents ? `yes${i.latent_codes ? ` (${i.latent_codes} codes)` : ''}` : 'no'],
    ['splits', s.splits ? `train ${s.splits.train}, val ${s.splits.val}` : 'none (lara dataset split)'],
    ['source', Object.entries(i.source).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `${k}=${String(v)}`).join(' ')],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  let out = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
  if (i.action) {
    out += '\naction statistics\n';
    const names = i.action.names;
    const nw = Math.max(4, ...names.map((n) => n.length));
    out += `${'dim'.padEnd(nw)}  ${['mean', 'std', 'min', 'max', 'q01', 'q99'].map((h) => h.padStart(10)).join('')}\n`;
    names.forEach((n, d) => {
      const st = i.action!.stats;
      out += `${n.padEnd(nw)}  ${[st.mean, st.std, st.min, st.max, st.q01, st.q99].map((a) => f(a[d]!).padStart(10)).join('')}\n`;
    });
  }
  return out;
}
