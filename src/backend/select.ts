/**
 * Backend choice. `initBackend('auto')` takes the first backend that loads, in the order
 * tensorflow-gpu (@tensorflow/tfjs-node-gpu) → tensorflow (@tensorflow/tfjs-node) → wasm → cpu, and
 * reports why each one before it was skipped. An explicit choice that cannot load is a LaraError.
 * After wasm is chosen, the optional native accelerator (./native.ts, built by `native/`) is
 * loaded if present; its status is reported in `accelerator`.
 */
import { tf } from './tf.ts';
import { LaraError } from '../util/errors.ts';
import { applyWasmTweaks } from './wasm-tweaks.ts';

export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type ConcreteBackend = Exclude<BackendName, 'auto'>;
export const AUTO_ORDER: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendAttempt {
  name: ConcreteBackend;
  ok: boolean;
  /** Why it was skipped, or a short note on what was loaded. */
  reason: string;
}

export interface AcceleratorStatus {
  /** 'loaded' (kernels registered), 'not built', 'failed' or 'not applicable' (backend is not wasm). */
  status: 'loaded' | 'not built' | 'failed' | 'not applicable';
  detail: string;
}

export interface BackendChoice {
  chosen: ConcreteBackend;
  /** The tfjs backend name actually active (e.g. 'tensorflow' for both tfjs-node variants). */
  tfBackend: string;
  tried: BackendAttempt[];
  accelerator: AcceleratorStatus;
}

/** Shape of the optional native module (src/backend/native.ts, owned by the native-kernels work). */
interface NativeModule {
  tryLoadNative?: () => Promise<unknown> | unknown;
}

let current: BackendChoice | undefined;

/** The last successful initBackend result, if any. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}

function errText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const first = m.split('\n')[0] ?? m;
  return first.length > 200 ? first.slice(0, 197) + '...' : first;
}

async function tryOne(name: ConcreteBackend): Promise<BackendAttempt & { tfBackend?: string }> {
  try {
    switch (name) {
      case 'tensorflow-gpu':
      case 'tensorflow': {
        const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
        try {
          // A variable specifier keeps bundlers and the type checker from requiring the optional package.
          await import(/* @vite-ignore */ pkg);
        } catch (e) {
          const code = (e as { code?: string }).code;
          const why =
            code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
              ? `${pkg} is not installed (optional dependency; npm install ${pkg} on a machine with internet)`
              : `${pkg} failed to load: ${errText(e)}`;
          return { name, ok: false, reason: why };
        }
        const ok = await tf.setBackend('tensorflow');
        if (!ok) return { name, ok: false, reason: `${pkg} loaded but tf.setBackend('tensorflow') failed` };
        await tf.ready();
        return { name, ok: true, reason: `${pkg} loaded`, tfBackend: 'tensorflow' };
      }
      case 'wasm': {
        await import('@tensorflow/tfjs-backend-wasm');
        const ok = await tf.setBackend('wasm');
        if (!ok) return { name, ok: false, reason: 'tf.setBackend("wasm") returned false' };
        await tf.ready();
        applyWasmTweaks();
        return { name, ok: true, reason: '@tensorflow/tfjs-backend-wasm (SIMD, single thread)', tfBackend: 'wasm' };
      }
      case 'cpu': {
        const ok = await tf.setBackend('cpu');
        if (!ok) return { name, ok: false, reason: 'tf.setBackend("cpu") returned false' };
        await tf.ready();
        return { name, ok: true, reason: 'pure-JS cpu backend (slow; not for training)', tfBackend: 'cpu' };
      }
    }
  } catch (e) {
    return { name, ok: false, reason: `failed to initialise: ${errText(e)}` };
  }
}

/** Load src/backend/native.ts if it exists and let it register its kernels on wasm. */
async function tryAccelerator(): Promise<AcceleratorStatus> {
  let mod: NativeModule;
  try {
    const spec = './native.ts';
    mod = (await import(/* @vite-ignore */ spec)) as NativeModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      return { status: 'not built', detail: 'src/backend/native.ts is not present' };
    }
    return { status: 'failed', detail: `src/backend/native.ts failed to import: ${errText(e)}` };
  }
  if (typeof mod.tryLoadNative !== 'function') {
    return { status: 'not built', detail: 'src/backend/native.ts exports no tryLoadNative()' };
  }
  try {
    const r = await mod.tryLoadNative();
    if (r === false) return { status: 'not built', detail: 'native addon not built (see docs/backends.md)' };
    if (r && typeof r === 'object') {
      const o = r as { ok?: boolean; status?: string; reason?: string; detail?: string };
      const detail = o.detail ?? o.reason ?? JSON.stringify(r);
      if (o.ok === false) return { status: o.status === 'failed' ? 'failed' : 'not built', detail };
      return { status: 'loaded', detail };
    }
    return { status: 'loaded', detail: typeof r === 'string' ? r : 'native kernels registered on wasm' };
  } catch (e) {
    return { status: 'failed', detail: errText(e) };
  }
}

/**
 * Make `name` the active backend. 'auto' tries AUTO_ORDER and keeps the first that loads; a named
 * backend that cannot load throws a LaraError carrying the reason.
 */
export interface InitOptions {
  /** Load the native accelerator on wasm (default true; LARA_NATIVE=off also disables it). */
  accelerator?: boolean;
}

export async function initBackend(name: BackendName = 'auto', opts: InitOptions = {}): Promise<BackendChoice> {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new LaraError('unknown backend', { where: '--backend', expected: BACKEND_NAMES.join(' | '), got: String(name) });
  }
  const order: readonly ConcreteBackend[] = name === 'auto' ? AUTO_ORDER : [name];
  const tried: BackendAttempt[] = [];
  for (const b of order) {
    const r = await tryOne(b);
    tried.push({ name: r.name, ok: r.ok, reason: r.reason });
    if (r.ok) {
      const accelerator: AcceleratorStatus =
        b !== 'wasm'
          ? { status: 'not applicable', detail: `backend is ${b}` }
          : opts.accelerator === false
            ? { status: 'not built', detail: 'not requested (stock wasm kernels)' }
            : await tryAccelerator();
      current = { chosen: b, tfBackend: r.tfBackend ?? tf.getBackend(), tried, accelerator };
      return current;
    }
  }
  if (name !== 'auto') {
    throw new LaraError(`backend ${name} is not available: ${tried[0]?.reason ?? 'unknown reason'}`, {
      where: '--backend',
      expected: 'a backend that loads on this machine (try --backend auto, or lara doctor)',
      got: name,
    });
  }
  throw new LaraError('no tfjs backend could be initialised: ' + tried.map((t) => `${t.name}: ${t.reason}`).join('; '));
}

/** yargs option for every computing verb: `.option('backend', backendOption)`. */
export const backendOption = {
  type: 'string' as const,
  choices: BACKEND_NAMES as unknown as string[],
  default: 'auto',
  describe: 'compute backend: auto tries tensorflow-gpu, tensorflow (tfjs-node), wasm, cpu in order',
};

/** Format the choice as a few human-readable lines (for CLI verbs and logs). */
export function describeChoice(c: BackendChoice): string {
  const lines = [`backend: ${c.chosen}`];
  for (const t of c.tried) lines.push(`  ${t.ok ? 'ok  ' : 'skip'} ${t.name}: ${t.reason}`);
  lines.push(`  accelerator: ${c.accelerator.status} (${c.accelerator.detail})`);
  return lines.join('\n');
}
