/**
 * metrics.jsonl: one JSON object per training step, `{"step": 12, "loss": 1.23, ...}`, appended as
 * training goes. A resumed run first truncates the entries after the step it resumes from, so the
 * file always describes one history without duplicates.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { LaraError } from '../util/errors.ts';
import { writeFileAtomic } from '../util/atomic.ts';

export interface MetricsRecord {
  /** Steps completed (1-based: the first step writes step 1). */
  step: number;
  loss: number;
  [name: string]: number;
}

export function appendMetrics(file: string, r: MetricsRecord): void {
  appendFileSync(file, JSON.stringify(r) + '\n');
}

/**
 * Read metrics.jsonl. A torn last line (a process killed mid-write) is dropped; a bad line
 * elsewhere is an error naming the line.
 */
export function readMetrics(file: string): MetricsRecord[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: MetricsRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) break; // torn tail: no newline was written after it
      throw new LaraError('corrupt metrics line', { file, where: `line ${i + 1}`, expected: 'a JSON object' });
    }
    if (typeof r !== 'object' || r === null || typeof (r as MetricsRecord).step !== 'number') {
      throw new LaraError('bad metrics record', { file, where: `line ${i + 1}`, expected: 'an object with a numeric "step"' });
    }
    out.push(r as MetricsRecord);
  }
  return out;
}

/** Keep only the records with step <= `step` (atomic rewrite); with step 0 the file is removed. */
export function truncateMetrics(file: string, step: number): void {
  if (!existsSync(file)) return;
  if (step <= 0) {
    rmSync(file, { force: true });
    return;
  }
  const kept = readMetrics(file).filter((r) => r.step <= step);
  writeFileAtomic(file, kept.map((r) => JSON.stringify(r) + '\n').join(''));
}
