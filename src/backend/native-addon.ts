/**
 * Finding and loading lara's native addon (native/build/Release/lara_native.node), with the
 * thread count and OpenBLAS core type chosen here rather than left to the environment.
 *
 * OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS once, in its load-time constructor,
 * which runs when `require` dlopens the addon (libopenblas is its dependency). Setting
 * process.env just before that call reaches the C environment (Node calls setenv), so:
 * - an inherited OPENBLAS_CORETYPE (some machines force `Haswell`, AVX2 kernels at half
 *   speed on AVX-512 CPUs) is removed for the load, and OpenBLAS detects the CPU itself;
 *   on an AVX-512 CPU we name the AVX-512 core ourselves (`Cooperlake` where the CPU has
 *   avx512_bf16, else `SkylakeX`: the same sgemm kernels), because OpenBLAS 0.3.21 falls
 *   back to AVX2 (`Haswell`) kernels on AVX-512 CPUs it does not know (AMD Zen 4/5);
 *   `LARA_OPENBLAS_CORETYPE=<name>` overrides all of this;
 * - OPENBLAS_NUM_THREADS is set to lara's thread count, so its pool is made that size.
 * The variables are put back as they were right after the load.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the addon exports (see native/src/addon.cc). Offsets count floats. */
export interface NativeAddon {
  gemm(heap: Float32Array, aOff: number, bOff: number, cOff: number, batch: number, m: number,
    n: number, k: number, transA: number, transB: number, strideA: number, strideB: number): void;
  biasAct(heap: Float32Array, cOff: number, rows: number, n: number, biasOff: number,
    biasSize: number, activation: number, alpha: number, preluOff: number, preluSize: number): void;
  unary(heap: Float32Array, op: number, xOff: number, yOff: number, n: number): void;
  /** kind: 0 sum, 1 max, 2 mean. */
  reduce(heap: Float32Array, kind: number, xOff: number, outOff: number, sizes: Int32Array,
    reducedMask: number): void;
  softmax(heap: Float32Array, xOff: number, yOff: number, rows: number, cols: number): void;
  transpose(heap: Float32Array, xOff: number, outOff: number, shape: Int32Array, perm: Int32Array): void;
  slice(heap: Float32Array, xOff: number, outOff: number, shape: Int32Array, begin: Int32Array, size: Int32Array): void;
  /** False (nothing written) when an index is out of range. */
  gather(heap: Float32Array, xOff: number, idxOff: number, outOff: number, outer: number,
    dimSize: number, sliceSize: number, nIdx: number): boolean;
  binary(heap: Float32Array, op: number, aOff: number, bOff: number, outOff: number, shape: Int32Array,
    stridesA: Int32Array, stridesB: Int32Array): void;
  setThreads(n: number): void;
  info(): { corename: string; config: string; threads: number };
}

export interface AddonLoad {
  addon: NativeAddon | null;
  /** Why the addon is not there, or what was loaded. */
  reason: string;
  threads: number;
  /** OpenBLAS's core (kernel set) in use, e.g. "SkylakeX"; '' when not loaded. */
  corename: string;
  /** What we did about OPENBLAS_CORETYPE. */
  coretypeNote: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root: src/backend/ is two levels down. */
export const repoRoot = resolve(here, '..', '..');
export const addonPath = resolve(repoRoot, 'native', 'build', 'Release', 'lara_native.node');

/** Thread count: LARA_THREADS when it is a positive integer, else the machine's parallelism. */
export function chooseThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LARA_THREADS;
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1) return n;
  }
  return Math.max(1, availableParallelism());
}

/** CPU flags from /proc/cpuinfo (Linux x86), or an empty set. */
function cpuFlags(): Set<string> {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const line = text.split('\n').find((l) => l.startsWith('flags'));
    return new Set(line ? line.split(':')[1]?.trim().split(/\s+/) : []);
  } catch {
    return new Set();
  }
}

const avx512Cores = new Set(['skylakex', 'cooperlake', 'sapphirerapids']);

function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return f();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

let cached: AddonLoad | null = null;

/**
 * Loads the addon once per process (a dlopen'ed library cannot be reloaded with other
 * settings). Never throws: a missing or broken build gives addon null and a reason.
 */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  const threads = chooseThreads();
  const fail = (reason: string): AddonLoad =>
    (cached = { addon: null, reason, threads: 1, corename: '', coretypeNote: '' });
  if (!existsSync(addonPath)) {
    return fail(`native addon not built (${addonPath} missing; run npm run build:native)`);
  }
  const inherited = process.env.OPENBLAS_CORETYPE;
  const forced = process.env.LARA_OPENBLAS_CORETYPE?.trim() || undefined;
  const req = createRequire(import.meta.url);
  const load = (coretype: string | undefined): NativeAddon =>
    withEnv({ OPENBLAS_CORETYPE: coretype, OPENBLAS_NUM_THREADS: String(threads) },
      () => req(addonPath) as NativeAddon);
  let addon: NativeAddon;
  let coretypeNote: string;
  try {
    if (forced) {
      addon = load(forced);
      coretypeNote = `LARA_OPENBLAS_CORETYPE=${forced}`;
    } else {
      // OpenBLAS picks its core at load; when it would miss AVX-512 on a CPU that has it
      // (a model newer than this OpenBLAS), we cannot reload, so decide before loading.
      const flags = cpuFlags();
      const hasAvx512 = ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f));
      const core = !hasAvx512 ? undefined : flags.has('avx512_bf16') ? 'Cooperlake' : 'SkylakeX';
      addon = load(core);
      coretypeNote = core
        ? `AVX-512 CPU: OPENBLAS_CORETYPE=${core}`
        : 'OPENBLAS_CORETYPE unset: OpenBLAS detects the CPU';
      if (inherited !== undefined) coretypeNote += ` (ignored inherited OPENBLAS_CORETYPE=${inherited})`;
    }
  } catch (e) {
    return fail(`native addon failed to load: ${(e as Error).message.split('\n')[0]}`);
  }
  addon.setThreads(threads);
  const info = addon.info();
  if (!avx512Cores.has(info.corename.toLowerCase()) && forced === undefined && /AVX-512/.test(coretypeNote)) {
    coretypeNote += `; OpenBLAS reports ${info.corename}`;
  }
  cached = {
    addon,
    reason: `OpenBLAS ${info.corename}, ${threads} thread${threads === 1 ? '' : 's'}`,
    threads,
    corename: info.corename,
    coretypeNote,
  };
  return cached;
}
