/**
 * Named tfjs tensors <-> safetensors raw tensors. float32 -> F32, int32 -> I32, bool -> BOOL; on
 * reading, every float dtype (F16, BF16, F64 included) becomes float32 and every integer one int32.
 */
import { tf } from '../backend/tf.ts';
import { LaraError } from '../util/errors.ts';
import { toFloat32, toInt32, type RawTensor } from './safetensors.ts';

export type NamedTensors = Record<string, tf.Tensor>;

/** Copy tensors out of tfjs (reads device memory once per tensor). */
export async function tensorsToRaw(tensors: NamedTensors): Promise<Record<string, RawTensor>> {
  const out: Record<string, RawTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const shape = [...t.shape];
    const values = await t.data();
    switch (t.dtype) {
      case 'float32': {
        const a = values instanceof Float32Array ? Float32Array.from(values) : Float32Array.from(values as ArrayLike<number>);
        out[name] = { dtype: 'F32', shape, data: new Uint8Array(a.buffer) };
        break;
      }
      case 'int32': {
        const a = Int32Array.from(values as ArrayLike<number>);
        out[name] = { dtype: 'I32', shape, data: new Uint8Array(a.buffer) };
        break;
      }
      case 'bool':
        out[name] = { dtype: 'BOOL', shape, data: Uint8Array.from(values as ArrayLike<number>) };
        break;
      default:
        throw new LaraError(`cannot save tensor '${name}'`, { expected: 'dtype float32, int32 or bool', got: t.dtype });
    }
  }
  return out;
}

/** Make tfjs tensors from raw tensors (the caller owns and disposes them). */
export function rawToTensors(raw: Record<string, RawTensor>): NamedTensors {
  const out: NamedTensors = {};
  for (const [name, r] of Object.entries(raw)) {
    if (r.dtype === 'BOOL') out[name] = tf.tensor(Uint8Array.from(r.data), r.shape, 'bool');
    else if (r.dtype === 'F32' || r.dtype === 'F64' || r.dtype === 'F16' || r.dtype === 'BF16') out[name] = tf.tensor(toFloat32(r, name), r.shape, 'float32');
    else out[name] = tf.tensor(toInt32(r, name), r.shape, 'int32');
  }
  return out;
}
