/**
 * LaraError: an error meant for a user. The CLI prints its message (no stack) and exits non-zero.
 * Messages name the file / field / record and say what was expected and what was received.
 */
export interface ErrorContext {
  /** File the error is about, if any. */
  file?: string;
  /** Field, record, topic or offset within the file. */
  where?: string;
  /** What was expected. */
  expected?: string;
  /** What was received. */
  got?: string;
  /** Exit code for the CLI (default 1). */
  exitCode?: number;
}

export class LaraError extends Error {
  readonly context: ErrorContext;
  constructor(message: string, context: ErrorContext = {}) {
    super(LaraError.format(message, context));
    this.name = 'LaraError';
    this.context = context;
  }

  static format(message: string, c: ErrorContext): string {
    const parts: string[] = [];
    if (c.file) parts.push(c.file);
    if (c.where) parts.push(c.where);
    const head = parts.length ? `${parts.join(': ')}: ` : '';
    let tail = '';
    if (c.expected !== undefined) tail += `; expected ${c.expected}`;
    if (c.got !== undefined) tail += `, got ${c.got}`;
    return `${head}${message}${tail}`;
  }
}

/** Short printable description of any value, for "got ..." parts of messages. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as { length: number }).length})`;
  return `an object`;
}
