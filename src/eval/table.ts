/** Comparison of agents: a markdown table and a JSON record, relative to a reference agent. */
import type { AgentResult } from './evaluate.ts';
import type { Interval } from './intervals.ts';

export interface ComparisonRow {
  agent: string;
  /** Per task: successes / episodes and the Wilson 95% interval. */
  tasks: { task: string; successes: number; episodes: number; rate: number; lo: number; hi: number }[];
  overall: { successes: number; episodes: number; rate: number; lo: number; hi: number; exactLo: number; exactHi: number };
  /** overall rate / the reference agent's overall rate (null without a reference or when it is 0). */
  ofReference: number | null;
  seconds: number;
}

export interface Comparison {
  reference: string | null;
  rows: ComparisonRow[];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ci = (i: { lo: number; hi: number }): string => `[${(100 * i.lo).toFixed(1)}, ${(100 * i.hi).toFixed(1)}]`;
const row = (i: Interval, k: number, n: number) => ({ successes: k, episodes: n, rate: i.rate, lo: i.lo, hi: i.hi });

export function compareAgents(results: readonly AgentResult[], reference?: string): Comparison {
  const ref = reference ? results.find((r) => r.agent === reference) : undefined;
  const refRate = ref?.overall.wilson.rate;
  return {
    reference: ref ? ref.agent : null,
    rows: results.map((r) => ({
      agent: r.agent,
      tasks: r.tasks.map((t) => ({ task: t.task, ...row(t.wilson, t.successes, t.episodes) })),
      overall: { ...row(r.overall.wilson, r.overall.successes, r.overall.episodes), exactLo: r.overall.exact.lo, exactHi: r.overall.exact.hi },
      ofReference: refRate ? r.overall.wilson.rate / refRate : null,
      seconds: r.seconds,
    })),
  };
}

/** Markdown: one row per agent, success per task and overall with Wilson 95% intervals. */
export function comparisonMarkdown(c: Comparison): string {
  const tasks = c.rows[0]?.tasks.map((t) => t.task) ?? [];
  const multi = tasks.length > 1;
  const head = ['agent', ...(multi ? tasks : []), 'success (95% Wilson CI)', '95% Clopper-Pearson', ...(c.reference ? [`÷ ${c.reference}`] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of c.rows) {
    const cells = [
      r.agent,
      ...(multi ? r.tasks.map((t) => `${t.successes}/${t.episodes} ${pct(t.rate)}`) : []),
      `${r.overall.successes}/${r.overall.episodes} ${pct(r.overall.rate)} ${ci(r.overall)}`,
      ci({ lo: r.overall.exactLo, hi: r.overall.exactHi }),
      ...(c.reference ? [r.ofReference === null ? '–' : `${r.ofReference.toFixed(2)}×`] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}
