import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, readMetrics, truncateMetrics } from '../../src/train/metrics.ts';

describe('metrics.jsonl', () => {
  it('appends, truncates after a step, and drops a torn last line', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lara-m-')), 'metrics.jsonl');
    for (let s = 1; s <= 5; s++) appendMetrics(f, { step: s, loss: 1 / s });
    writeFileSync(f, readFileSync(f, 'utf8') + '{"step":6,"lo');
    expect(readMetrics(f).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    truncateMetrics(f, 3);
    expect(readFileSync(f, 'utf8')).toBe('{"step":1,"loss":1}\n{"step":2,"loss":0.5}\n{"step":3,"loss":0.3333333333333333}\n');
    truncateMetrics(f, 0);
    expect(existsSync(f)).toBe(false);
  });
  it('a corrupt line in the middle is an error naming the line', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lara-m-')), 'metrics.jsonl');
    writeFileSync(f, '{"step":1,"loss":1}\nnot json\n{"step":3,"loss":1}\n');
    expect(() => readMetrics(f)).toThrow(/metrics\.jsonl: line 2: corrupt metrics line; expected a JSON object/);
  });
});
