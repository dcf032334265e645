/**
 * lara's optional native CPU accelerator for the tfjs wasm backend: it swaps the kernels
 * that dominate training (BatchMatMul, _FusedMatMul, Sum, Max, Softmax, Exp, Tanh) for ones
 * in an N-API addon on OpenBLAS that work in place on the wasm heap. See docs/native.md.
 *
 * Call `await loadNative()` after `tf.setBackend('wasm')`. It never throws: without the
 * addon (not built, LARA_NATIVE=off, another backend) it reports active:false and why,
 * and the stock wasm kernels stay.
 */
import { tf } from './tf.ts';
import { loadAddon } from './native-addon.ts';
import { nativeKernels, withFallback } from './native-kernels.ts';
import { fusedKernels, type FusedAddon } from './native-fused.ts';

export interface NativeStatus {
  /** True while the native kernels are registered on the wasm backend. */
  active: boolean;
  /** Why not active, or what is running (OpenBLAS core, threads). */
  reason: string;
  /** Kernel names now served natively. */
  kernels: string[];
  /** OpenBLAS threads (1 when inactive). */
  threads: number;
  /** OpenBLAS core type in use and how it was chosen ('' when inactive). */
  coretype: string;
}

/** Stock kernel configs we replaced, to put back on unloadNative. */
const replaced = new Map<string, tf.KernelConfig>();
/** lara's own fused kernels registered on wasm (no stock counterpart), and the AdamW switch. */
const fusedOn = new Set<string>();
let fusedAddon: FusedAddon | null = null;
let status: NativeStatus = { active: false, reason: 'loadNative() not called', kernels: [], threads: 1, coretype: '' };

function off(reason: string): NativeStatus {
  status = { active: false, reason, kernels: [], threads: 1, coretype: '' };
  return { ...status };
}

/** Names from LARA_NATIVE_KERNELS (comma-separated), or every kernel lara has. */
function wantedKernels(): string[] {
  const raw = process.env.LARA_NATIVE_KERNELS?.trim();
  const all = [...Object.keys(nativeKernels), ...Object.keys(fusedKernels), 'AdamW'];
  if (!raw) return all;
  const asked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return all.filter((k) => asked.includes(k));
}

/**
 * Registers the native kernels on the wasm backend. Idempotent. Environment:
 * LARA_NATIVE=off disables it; LARA_THREADS sets OpenBLAS's threads; LARA_NATIVE_KERNELS
 * (comma-separated kernel names) limits which kernels are replaced;
 * LARA_OPENBLAS_CORETYPE forces an OpenBLAS core.
 */
export async function loadNative(): Promise<{ active: boolean; reason: string; kernels: string[]; threads: number }> {
  if (status.active) return { ...status };
  const flag = process.env.LARA_NATIVE?.trim().toLowerCase();
  if (flag === 'off' || flag === '0' || flag === 'false') return off('disabled by LARA_NATIVE=off');
  if (tf.getBackend() !== 'wasm') {
    return off(`the active tfjs backend is ${tf.getBackend() ?? 'none'}, not wasm: call tf.setBackend('wasm') first`);
  }
  const load = loadAddon();
  if (!load.addon) return off(load.reason);
  const addon = load.addon;
  const names: string[] = [];
  for (const name of wantedKernels()) {
    if (name === 'AdamW') {
      fusedOn.add(name);
      names.push(name);
      continue;
    }
    const fused = fusedKernels[name];
    if (fused) {
      if (!tf.getKernel(name, 'wasm')) {
        tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: ((args: never) => fused(addon as FusedAddon, args)) as unknown as tf.KernelFunc });
      }
      fusedOn.add(name);
      names.push(name);
      continue;
    }
    const kernel = nativeKernels[name]!;
    let stock: tf.KernelConfig | undefined;
    try {
      stock = tf.getKernel(name, 'wasm');
    } catch {
      stock = undefined;
    }
    if (!stock) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: withFallback(addon, kernel, stock.kernelFunc) });
    replaced.set(name, stock);
    names.push(name);
  }
  fusedAddon = addon as FusedAddon;
  status = { active: true, reason: load.reason, kernels: names, threads: load.threads, coretype: load.coretypeNote };
  return { ...status };
}

/** Puts the stock wasm kernels back (the addon stays loaded; loadNative() re-registers). */
export function unloadNative(): void {
  for (const [name, stock] of replaced) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(stock);
  }
  replaced.clear();
  for (const name of fusedOn) if (name !== 'AdamW') tf.unregisterKernel(name, 'wasm');
  fusedOn.clear();
  fusedAddon = null;
  if (status.active) status = { ...status, active: false, reason: 'unloaded by unloadNative()', kernels: [] };
}

/**
 * True when lara's fused kernel `name` (LaraLayerNorm, LaraGelu, LaraXent, their …Grad, or
 * AdamW) is usable now: the accelerator is active and wasm is the current backend. src/nn asks
 * this per call and takes its stock path otherwise.
 */
export function fusedActive(name: string): boolean {
  return fusedOn.has(name) && tf.getBackend() === 'wasm';
}

/** True when the stock wasm kernel `name` (e.g. BatchMatMul) is now served natively. */
export function nativeKernelActive(name: string): boolean {
  return replaced.has(name) && tf.getBackend() === 'wasm';
}

/** The addon for direct fused calls (AdamW), or null when fusedActive('AdamW') is false. */
export function fusedAddonFor(name: string): FusedAddon | null {
  return fusedActive(name) ? fusedAddon : null;
}

/** What loadNative did: active or not, why, which kernels, how many threads. */
export function nativeStatus(): NativeStatus {
  return { ...status, kernels: [...status.kernels] };
}

/**
 * The form select.ts consumes: ok, a status word and a one-line detail (what loadNative says).
 */
export async function tryLoadNative(): Promise<{ ok: boolean; status: 'loaded' | 'not built' | 'failed'; detail: string }> {
  const r = await loadNative();
  if (r.active) return { ok: true, status: 'loaded', detail: `${r.kernels.join(', ')} native (${r.reason})` };
  return { ok: false, status: /failed to load/.test(r.reason) ? 'failed' : 'not built', detail: r.reason };
}
