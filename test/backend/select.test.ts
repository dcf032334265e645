import { describe, expect, it } from 'vitest';
import { AUTO_ORDER, backendOption, initBackend } from '../../src/backend/select.ts';
import { tf } from '../../src/backend/tf.ts';
import { LaraError } from '../../src/util/errors.ts';

describe('initBackend', () => {
  it('auto tries tfjs-node-gpu, tfjs-node, then takes wasm here, saying why the others were skipped', async () => {
    const c = await initBackend('auto');
    expect(c.chosen).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(c.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(c.tried[0]!.ok).toBe(false);
    expect(c.tried[0]!.reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(c.tried[1]!.reason).toMatch(/@tensorflow\/tfjs-node is not installed/);
    expect(c.tried[2]!.ok).toBe(true);
    expect(['loaded', 'not built', 'failed']).toContain(c.accelerator.status);
    expect(c.accelerator.detail.length).toBeGreaterThan(0);
  });

  it('an explicit backend that cannot load is a LaraError naming the reason', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(LaraError);
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(/tfjs-node-gpu is not installed/);
    await expect(initBackend('metal' as never)).rejects.toThrow(/unknown backend.*expected auto \| tensorflow-gpu/);
  });

  it('cpu can be chosen explicitly and computes; wasm again after', async () => {
    const c = await initBackend('cpu');
    expect(c.chosen).toBe('cpu');
    expect(c.accelerator.status).toBe('not applicable');
    expect(Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync())).toEqual([11]);
    expect((await initBackend('wasm')).chosen).toBe('wasm');
  });

  it('exposes the yargs option with every choice and auto as default', () => {
    expect(backendOption.default).toBe('auto');
    expect(backendOption.choices).toEqual(['auto', ...AUTO_ORDER]);
  });
});
