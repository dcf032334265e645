import { describe, expect, it } from 'vitest';
import { wilson, clopperPearson, normalQuantile, betaInc, studentQuantile, meanInterval } from '../../src/eval/intervals.ts';
import { evaluateAgent } from '../../src/eval/evaluate.ts';
import { compareAgents, comparisonMarkdown } from '../../src/eval/table.ts';
import { lineChartSvg } from '../../src/eval/svg.ts';
import { confusionMatrix, confusionMarkdown, confusionSvg } from '../../src/eval/confusion.ts';
import { RandomAgent } from '../../src/agent/random.ts';
import type { Agent } from '../../src/agent/types.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { testRobot } from '../mapping/helpers.ts';
import { CorridorEnv } from './toy-env.ts';

describe('intervals', () => {
  it('normal quantile and incomplete beta match known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(betaInc(0.5, 2, 2)).toBeCloseTo(0.5, 10);
    expect(betaInc(0.3, 2, 5)).toBeCloseTo(0.579825, 5); // scipy.special.betainc(2, 5, 0.3)
  });
  it('Wilson 95% for 8/10 and 0/20', () => {
    const w = wilson(8, 10);
    expect(w.rate).toBe(0.8);
    expect(w.lo).toBeCloseTo(0.4902, 3);
    expect(w.hi).toBeCloseTo(0.9433, 3);
    const z = wilson(0, 20);
    expect(z.lo).toBe(0);
    expect(z.hi).toBeCloseTo(0.1611, 3);
  });
  it('Clopper-Pearson 95% for 8/10, 0/10, 10/10', () => {
    const c = clopperPearson(8, 10);
    expect(c.lo).toBeCloseTo(0.4439, 3);
    expect(c.hi).toBeCloseTo(0.9748, 3);
    expect(clopperPearson(0, 10).hi).toBeCloseTo(0.3085, 3);
    expect(clopperPearson(10, 10).lo).toBeCloseTo(0.6915, 3);
  });
  it('Student-t quantiles and the interval for a mean match tables', () => {
    expect(studentQuantile(1)).toBeCloseTo(12.7062, 3);
    expect(studentQuantile(31)).toBeCloseTo(2.0395, 3);
    expect(studentQuantile(1000)).toBeCloseTo(1.9623, 3);
    expect(studentQuantile(9, 0.9)).toBeCloseTo(1.8331, 3);
    // values 1..5: mean 3, sd sqrt(2.5), t(4) = 2.7764
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.mean).toBeCloseTo(3, 12);
    expect(m.hi - m.mean).toBeCloseTo((2.7764 * Math.sqrt(2.5)) / Math.sqrt(5), 3);
    expect(m.mean - m.lo).toBeCloseTo(m.hi - m.mean, 12);
    expect(m.n).toBe(5);
    expect(() => meanInterval([1])).toThrow(/at least 2 values/);
  });

  it('rejects impossible counts', () => {
    expect(() => wilson(5, 3)).toThrow(/0 <= successes <= trials, got 5\/3/);
  });
});

const forward: Agent = { name: 'forward', reset: () => {}, act: () => Float32Array.of(1, 0) };

describe('evaluateAgent', () => {
  it('counts successes per task over seeded episodes, the same seeds for every agent', async () => {
    const env = (t: string) => new CorridorEnv(t);
    const seen: number[] = [];
    const r = await evaluateAgent(env, forward, { tasks: ['near', 'far'], episodes: 5, seed: 100, maxSteps: 50, onEpisode: (e) => seen.push(e.seed), clock: new ManualClock() });
    expect(seen).toEqual([100, 101, 102, 103, 104, 100, 101, 102, 103, 104]);
    expect(r.tasks.map((t) => [t.task, t.successes, t.episodes])).toEqual([['near', 5, 5], ['far', 5, 5]]);
    expect(r.tasks[1]!.meanSteps).toBe(6);
    expect(r.overall.successes).toBe(10);
    const rnd = await evaluateAgent(env, new RandomAgent(testRobot()), { tasks: ['far'], episodes: 30, seed: 0, maxSteps: 50 });
    expect(rnd.overall.successes).toBeLessThan(15); // a random walk rarely gets +6 in 10 steps
    const again = await evaluateAgent(env, new RandomAgent(testRobot()), { tasks: ['far'], episodes: 30, seed: 0, maxSteps: 50 });
    expect(again.overall.successes).toBe(rnd.overall.successes);
  });
  it('compares agents in markdown and JSON relative to a reference', async () => {
    const env = (t: string) => new CorridorEnv(t);
    const a = await evaluateAgent(env, forward, { tasks: ['near'], episodes: 10, seed: 0, maxSteps: 50 });
    const b = await evaluateAgent(env, { ...forward, name: 'half', act: (o) => Float32Array.of(o.state[0]! < 2 ? 1 : -1, 0) }, { tasks: ['near'], episodes: 10, seed: 0, maxSteps: 50 });
    const c = compareAgents([a, b], 'forward');
    expect(c.rows[1]!.ofReference).toBeCloseTo(b.overall.successes / 10, 6);
    const md = comparisonMarkdown(c);
    expect(md).toContain('| forward | 10/10 100.0% [72.2, 100.0] | [69.2, 100.0] | 1.00× |');
    expect(md.split('\n')[0]).toContain('÷ forward');
  });
});

describe('SVG and confusion', () => {
  it('draws one polyline per series with interval bars', () => {
    const svg = lineChartSvg({ title: 'success vs N', xLabel: 'N', yLabel: 'success', logX: true, yMin: 0, yMax: 1, series: [
      { name: 'latent', points: [{ x: 25, y: 0.5, lo: 0.4, hi: 0.6 }, { x: 200, y: 0.8, lo: 0.7, hi: 0.9 }] },
      { name: 'bc <N>', points: [{ x: 25, y: 0.1 }, { x: 200, y: 0.3 }] },
    ] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('bc &lt;N&gt;');
    expect(svg.match(/stroke-opacity="0.5"/g)).toHaveLength(2);
  });
  it('counts codes and reports accuracy', () => {
    const c = confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3);
    expect(c.counts).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 1]]);
    expect(c.accuracy).toBeCloseTo(0.6, 9);
    expect(confusionMarkdown(c)).toContain('| **2** | 1 | 0 | 1 |');
    expect(confusionSvg(c).match(/<rect x=/g)).toHaveLength(9);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/item 1.*\[0, 3\), got 3, 0/);
  });
});

describe('simSettingsOf', () => {
  it('reads the generator settings of a tabletop dataset and refuses other datasets', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { simDataset } = await import('../label/fixtures.ts');
    const { simSettingsOf } = await import('../../src/eval/tabletop.ts');
    const { writeJsonAtomic } = await import('../../src/util/atomic.ts');
    const { readFileSync } = await import('node:fs');
    const dir = join(mkdtempSync(join(tmpdir(), 'lara-sim-')), 'd');
    await simDataset(dir, { episodes: 1, maxSteps: 5 });
    expect(simSettingsOf(dir)).toEqual({ width: 16, height: 16, maxSteps: 5 });
    const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8'));
    writeJsonAtomic(join(dir, 'info.json'), { ...info, source: { importer: 'video' } });
    expect(() => simSettingsOf(dir)).toThrow(/not generated by the tabletop simulator/);
  });
});
