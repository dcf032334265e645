/**
 * Named parameters. A ParamStore owns every trainable tensor of a model under a hierarchical
 * name (`encoder.blocks.0.attn.qkv.w`); modules receive a Scope (a name prefix into the store)
 * and declare their parameters with `scope.param(name, shape, init)`. Initial values come from
 * the store's injected Rng, in declaration order, so a seed fixes the weights.
 */
import { tf, type Tensor, type Variable } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';
import type { Init } from './init.ts';

let storeCounter = 0;

export interface ParamInfo {
  name: string;
  shape: number[];
  size: number;
}

export class ParamStore {
  readonly #vars = new Map<string, Variable>();
  readonly #byTfName = new Map<string, string>();
  readonly #id = ++storeCounter;
  readonly #rng: Rng;

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /** The root scope (no prefix). */
  root(): Scope {
    return new Scope(this, '');
  }

  /** A scope named `prefix` (e.g. store.scope('encoder')). */
  scope(prefix: string): Scope {
    return new Scope(this, prefix);
  }

  /** Declare a parameter; names are unique within the store. */
  create(name: string, shape: readonly number[], initFn: Init, trainable = true): Variable {
    if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(name)) {
      throw new LaraError('bad parameter name', { where: name, expected: 'dot-separated [A-Za-z0-9_] parts' });
    }
    if (this.#vars.has(name)) throw new LaraError('parameter declared twice', { where: name });
    if (shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new LaraError('bad parameter shape', { where: name, expected: 'positive integers', got: JSON.stringify(shape) });
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    initFn(data, shape, this.#rng);
    const tfName = `lara${this.#id}/${name}`;
    const init0 = tf.tensor(data, [...shape], 'float32');
    const v = tf.variable(init0, trainable, tfName);
    init0.dispose(); // the variable holds its own reference to the buffer
    this.#vars.set(name, v);
    this.#byTfName.set(tfName, name);
    return v;
  }

  has(name: string): boolean {
    return this.#vars.has(name);
  }

  get(name: string): Variable {
    const v = this.#vars.get(name);
    if (!v) throw new LaraError('no such parameter', { where: name, expected: `one of ${this.names().length} declared names` });
    return v;
  }

  /** Parameter names in declaration order. */
  names(): string[] {
    return [...this.#vars.keys()];
  }

  list(): ParamInfo[] {
    return this.names().map((name) => {
      const v = this.#vars.get(name)!;
      return { name, shape: [...v.shape], size: v.size };
    });
  }

  /** Total number of scalar parameters. */
  count(): number {
    let n = 0;
    for (const v of this.#vars.values()) n += v.size;
    return n;
  }

  /** name → variable, in declaration order. */
  entries(): [string, Variable][] {
    return [...this.#vars.entries()];
  }

  /** The store name of a tf.Variable's internal name (for tf.variableGrads results). */
  nameOf(tfName: string): string | undefined {
    return this.#byTfName.get(tfName);
  }

  /** Current values as a Record (clones, caller disposes). */
  snapshot(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [n, v] of this.#vars) out[n] = v.clone();
    return out;
  }

  /**
   * Assign values from a record (e.g. a checkpoint). Every parameter must be present with the
   * same shape unless `partial` is set; unknown names are an error unless `ignoreExtra`.
   */
  load(values: Record<string, Tensor>, opts: { partial?: boolean; ignoreExtra?: boolean; source?: string } = {}): void {
    const file = opts.source;
    for (const key of Object.keys(values)) {
      if (!this.#vars.has(key) && !opts.ignoreExtra) {
        throw new LaraError('unknown parameter in checkpoint', { file, where: key, expected: 'a parameter of this model' });
      }
    }
    for (const [n, v] of this.#vars) {
      const t = values[n];
      if (!t) {
        if (opts.partial) continue;
        throw new LaraError('missing parameter', { file, where: n, expected: `a tensor of shape [${v.shape.join(', ')}]` });
      }
      if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
        throw new LaraError('parameter shape mismatch', {
          file,
          where: n,
          expected: `[${v.shape.join(', ')}]`,
          got: `[${t.shape.join(', ')}]`,
        });
      }
      v.assign(t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
    }
  }

  /**
   * Loss and gradients of `lossFn` (which reads this store's parameters) with respect to every
   * trainable parameter. Returns grads keyed by parameter name; caller disposes them.
   */
  valueAndGrads(lossFn: () => tf.Scalar): { loss: tf.Scalar; grads: Map<string, Tensor> } {
    const vars = [...this.#vars.values()].filter((v) => v.trainable);
    const { value, grads } = tf.variableGrads(lossFn, vars);
    const out = new Map<string, Tensor>();
    for (const [tfName, g] of Object.entries(grads)) {
      const n = this.#byTfName.get(tfName);
      if (n !== undefined) out.set(n, g);
      else g.dispose();
    }
    return { loss: value, grads: out };
  }

  dispose(): void {
    for (const v of this.#vars.values()) v.dispose();
    this.#vars.clear();
    this.#byTfName.clear();
  }
}

/** A name prefix into a ParamStore. Modules take one and declare their parameters under it. */
export class Scope {
  constructor(
    readonly store: ParamStore,
    readonly prefix: string,
  ) {}

  /** Full name of `name` in this scope. */
  full(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  /** A sub-scope: scope('encoder').child('blocks').child(0) names `encoder.blocks.0.*`. */
  child(name: string | number): Scope {
    return new Scope(this.store, this.full(String(name)));
  }

  param(name: string, shape: readonly number[], initFn: Init, trainable = true): Variable {
    return this.store.create(this.full(name), shape, initFn, trainable);
  }
}
