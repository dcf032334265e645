/**
 * Progress of a long job (training steps, imports). On a terminal: one line rewritten in place
 * with a bar, rate and ETA; elsewhere (logs, CI, pipes): a plain line every `every` items or
 * `intervalMs`, whichever comes first. The output stream and the clock are injected.
 *
 *   train  120/500 [#######.............]  24%  12.3 step/s  ETA 0:31  loss 1.2345
 */
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Number of items in the whole job. */
  total: number;
  /** Items already done when this session starts (e.g. the resumed step). */
  start?: number;
  out?: ProgressStream;
  clock?: Clock;
  /** Word before the counter. */
  label?: string;
  /** Unit for the rate ("step" -> "step/s"). */
  unit?: string;
  /** Plain mode: print whenever the count passes a multiple of this (default: total/10). */
  every?: number;
  /** Plain mode: print at least this often (ms; default 10 s). TTY mode redraws at most every 100 ms. */
  intervalMs?: number;
  /** Force TTY or plain mode instead of asking the stream. */
  tty?: boolean;
}

export type ProgressInfo = Record<string, number | string>;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

export class Progress {
  readonly #o: Required<Omit<ProgressOptions, 'tty' | 'every'>> & { every: number };
  readonly #tty: boolean;
  readonly #t0: number;
  #lastDraw = -Infinity;
  #lastPrintedItem: number;
  #current: number;
  #info: ProgressInfo = {};
  #finished = false;

  constructor(o: ProgressOptions) {
    const out = o.out ?? process.stderr;
    this.#o = {
      total: o.total,
      start: o.start ?? 0,
      out,
      clock: o.clock ?? systemClock,
      label: o.label ?? 'progress',
      unit: o.unit ?? 'step',
      every: Math.max(1, o.every ?? Math.ceil(o.total / 10)),
      intervalMs: o.intervalMs ?? 10_000,
    };
    this.#tty = o.tty ?? out.isTTY === true;
    this.#t0 = this.#o.clock.now();
    if (!this.#tty) this.#lastDraw = this.#t0;
    this.#lastPrintedItem = this.#o.start;
    this.#current = this.#o.start;
  }

  /** Items per second since this session started. */
  rate(): number {
    const dt = (this.#o.clock.now() - this.#t0) / 1000;
    const done = this.#current - this.#o.start;
    return dt > 0 && done > 0 ? done / dt : NaN;
  }

  /** Seconds left at the current rate. */
  eta(): number {
    const r = this.rate();
    return Number.isFinite(r) && r > 0 ? (this.#o.total - this.#current) / r : NaN;
  }

  /** The status line (no newline / carriage return). */
  line(): string {
    const { total, label, unit } = this.#o;
    const w = String(total).length;
    const frac = total > 0 ? Math.min(1, this.#current / total) : 1;
    const r = this.rate();
    const parts = [`${label}  ${String(this.#current).padStart(w)}/${total}`];
    if (this.#tty) {
      const width = 20;
      const fill = Math.round(frac * width);
      parts.push(`[${'#'.repeat(fill)}${'.'.repeat(width - fill)}]`);
    }
    parts.push(`${(frac * 100).toFixed(0).padStart(3)}%`);
    parts.push(Number.isFinite(r) ? `${r >= 10 ? r.toFixed(1) : r.toFixed(2)} ${unit}/s` : `- ${unit}/s`);
    parts.push(`ETA ${formatDuration(this.eta())}`);
    for (const [k, v] of Object.entries(this.#info)) parts.push(`${k} ${formatValue(v)}`);
    return parts.join('  ');
  }

  /** Report that `current` items are done. */
  update(current: number, info: ProgressInfo = {}): void {
    this.#current = current;
    this.#info = info;
    const now = this.#o.clock.now();
    if (this.#tty) {
      if (now - this.#lastDraw < 100 && current < this.#o.total) return;
      this.#draw();
      this.#lastDraw = now;
    } else if (Math.floor(current / this.#o.every) > Math.floor(this.#lastPrintedItem / this.#o.every) || now - this.#lastDraw >= this.#o.intervalMs) {
      this.#o.out.write(this.line() + '\n');
      this.#lastPrintedItem = current;
      this.#lastDraw = now;
    }
  }

  /** A message that must not be mangled by the TTY line (e.g. "checkpoint saved"). */
  log(message: string): void {
    this.interrupt(() => this.#o.out.write(message + '\n'));
  }

  /** Run `print` (which writes whole lines, to this stream or another) with the TTY line cleared. */
  interrupt(print: () => void): void {
    if (this.#tty && !this.#finished) {
      this.#o.out.write('\r\x1b[K');
      print();
      this.#draw();
    } else {
      print();
    }
  }

  /** Print the final state and end the line. */
  done(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#tty) {
      this.#draw();
      this.#o.out.write('\n');
    } else if (this.#current !== this.#lastPrintedItem) {
      this.#o.out.write(this.line() + '\n');
    }
  }

  #draw(): void {
    let s = this.line();
    const cols = this.#o.out.columns;
    if (cols && s.length > cols - 1) s = s.slice(0, cols - 1);
    this.#o.out.write('\r' + s + '\x1b[K');
  }
}
