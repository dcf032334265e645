/** Conversions of ROS 1 messages to lara's arrays: images to RGB, action-like messages to float rows. */
import { decodeImage, sniffImage, resizeRaw, type RawImage } from '../image.ts';
import { LaraError } from '../../util/errors.ts';

export const IMAGE_TYPES = ['sensor_msgs/Image', 'sensor_msgs/CompressedImage'];
export const ACTION_TYPES = ['geometry_msgs/Twist', 'geometry_msgs/TwistStamped', 'sensor_msgs/JointState', 'std_msgs/Float64MultiArray', 'std_msgs/Float32MultiArray'];
export const RAW_ENCODINGS = ['rgb8', 'bgr8', 'rgba8', 'bgra8', 'mono8'];

type Msg = Record<string, unknown>;
const u8 = (d: unknown): Uint8Array => (d instanceof Uint8Array ? d : Uint8Array.from(d as ArrayLike<number>));

/** Decode sensor_msgs/Image (rgb8/bgr8/rgba8/bgra8/mono8) or CompressedImage (jpeg/png) to RGB. */
export async function rosImageToRgb(type: string, m: Msg, where: { file: string; where: string }, size?: { width: number; height: number }): Promise<RawImage> {
  if (type === 'sensor_msgs/CompressedImage') {
    const data = u8(m.data);
    if (!sniffImage(data)) throw new LaraError('unknown compressed image format', { ...where, expected: 'jpeg or png', got: JSON.stringify(m.format) });
    return decodeImage(data, where, size);
  }
  if (type !== 'sensor_msgs/Image') throw new LaraError('not an image message type', { ...where, expected: IMAGE_TYPES.join(' or '), got: type });
  const w = m.width as number;
  const h = m.height as number;
  const step = m.step as number;
  const encoding = String(m.encoding);
  const data = u8(m.data);
  const ch = { rgb8: 3, bgr8: 3, rgba8: 4, bgra8: 4, mono8: 1 }[encoding];
  if (!ch) throw new LaraError('unknown image encoding', { ...where, expected: RAW_ENCODINGS.join(', '), got: JSON.stringify(encoding) });
  if (data.length < step * h || step < w * ch) throw new LaraError('image data too short', { ...where, expected: `${h} rows of ${step} bytes (${w}x${h} ${encoding})`, got: `${data.length} bytes` });
  const out = new Uint8Array(w * h * 3); // [H, W, 3]
  const bgr = encoding.startsWith('bgr');
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = y * step + x * ch;
      const d = (y * w + x) * 3;
      if (ch === 1) out[d] = out[d + 1] = out[d + 2] = data[s]!;
      else {
        out[d] = data[s + (bgr ? 2 : 0)]!;
        out[d + 1] = data[s + 1]!;
        out[d + 2] = data[s + (bgr ? 0 : 2)]!;
      }
    }
  }
  const img = { width: w, height: h, data: out };
  return size ? resizeRaw(img, size.width, size.height) : img;
}

/** Dimension names of an action message (from its first message). */
export function actionNames(type: string, first: Msg): string[] {
  if (type === 'geometry_msgs/Twist' || type === 'geometry_msgs/TwistStamped') return ['linear.x', 'linear.y', 'linear.z', 'angular.x', 'angular.y', 'angular.z'];
  if (type === 'sensor_msgs/JointState') return (first.name as string[]).map((n) => `${n}.position`);
  if (type.endsWith('MultiArray')) {
    const n = (first.data as ArrayLike<number>).length;
    const label = ((first.layout as { dim?: { label?: string }[] } | undefined)?.dim?.[0]?.label ?? '').split(',');
    return label.length === n && label.every((l) => l) ? label : Array.from({ length: n }, (_, i) => `a${i}`);
  }
  throw new LaraError('unsupported action message type', { expected: ACTION_TYPES.join(', '), got: type });
}

/** One action row from a message. */
export function actionRow(type: string, m: Msg, dim: number, where: { file: string; where: string }): Float32Array {
  let row: number[];
  if (type === 'geometry_msgs/Twist' || type === 'geometry_msgs/TwistStamped') {
    const t = (type === 'geometry_msgs/TwistStamped' ? m.twist : m) as { linear: Record<string, number>; angular: Record<string, number> };
    row = [t.linear.x!, t.linear.y!, t.linear.z!, t.angular.x!, t.angular.y!, t.angular.z!];
  } else if (type === 'sensor_msgs/JointState') row = Array.from(m.position as ArrayLike<number>);
  else if (type.endsWith('MultiArray')) row = Array.from(m.data as ArrayLike<number>);
  else throw new LaraError('unsupported action message type', { ...where, expected: ACTION_TYPES.join(', '), got: type });
  if (row.length !== dim) throw new LaraError('action dimension changed between messages', { ...where, expected: String(dim), got: String(row.length) });
  return Float32Array.from(row);
}
