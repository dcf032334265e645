/**
 * Camera messages <-> RGB uint8 images (row-major HWC, C = 3).
 * Decodes sensor_msgs/Image (rgb8, bgr8, mono8, rgba8, bgra8) and sensor_msgs/CompressedImage
 * (jpeg, png, via sharp); encodes RGB to an rgb8 Image; resizes with bilinear sampling.
 */
import sharp from 'sharp';
import { LaraError } from '../util/errors.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** [H, W, 3] uint8 */
  data: Uint8Array;
}

/** The fields of sensor_msgs/Image lara reads and writes. */
export interface ImageMsg {
  header?: { seq?: number; stamp?: { secs: number; nsecs: number }; frame_id?: string };
  height: number;
  width: number;
  encoding: string;
  is_bigendian?: number;
  step: number;
  data: ArrayLike<number>;
}

export interface CompressedImageMsg {
  header?: ImageMsg['header'];
  format: string;
  data: ArrayLike<number>;
}

function bytes(a: ArrayLike<number>): Uint8Array {
  return a instanceof Uint8Array ? a : Uint8Array.from(a);
}

/** Decode a sensor_msgs/Image to RGB. `where` names the topic in errors. */
export function decodeImage(msg: ImageMsg, where = 'sensor_msgs/Image'): RgbImage {
  const { width: w, height: h, step } = msg;
  const enc = msg.encoding.toLowerCase();
  const channels: Record<string, number> = { rgb8: 3, bgr8: 3, mono8: 1, rgba8: 4, bgra8: 4, '8uc3': 3, '8uc1': 1 };
  const c = channels[enc];
  if (c === undefined) throw new LaraError('unsupported image encoding', { where, expected: 'rgb8, bgr8, mono8, rgba8 or bgra8', got: JSON.stringify(msg.encoding) });
  const src = bytes(msg.data);
  if (w <= 0 || h <= 0 || step < w * c || src.length < step * h) {
    throw new LaraError('image message has inconsistent size', { where, expected: `step >= ${w * c} and ${step}*${h} data bytes`, got: `${w}x${h}, step ${step}, ${src.length} bytes` });
  }
  const out = new Uint8Array(w * h * 3); // [H, W, 3]
  const bgr = enc === 'bgr8' || enc === 'bgra8';
  for (let y = 0; y < h; y++) {
    let s = y * step;
    let d = y * w * 3;
    for (let x = 0; x < w; x++, s += c, d += 3) {
      if (c === 1) {
        out[d] = out[d + 1] = out[d + 2] = src[s]!;
      } else if (bgr) {
        out[d] = src[s + 2]!;
        out[d + 1] = src[s + 1]!;
        out[d + 2] = src[s]!;
      } else {
        out[d] = src[s]!;
        out[d + 1] = src[s + 1]!;
        out[d + 2] = src[s + 2]!;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Decode a sensor_msgs/CompressedImage (jpeg or png) to RGB. */
export async function decodeCompressed(msg: CompressedImageMsg, where = 'sensor_msgs/CompressedImage'): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes(msg.data)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels === 3) return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    // greyscale input: expand to RGB
    const out = new Uint8Array(info.width * info.height * 3);
    for (let i = 0; i < info.width * info.height; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = data[i * info.channels]!;
    return { width: info.width, height: info.height, data: out };
  } catch (e) {
    throw new LaraError('cannot decode compressed image', { where, expected: 'jpeg or png bytes', got: `format ${JSON.stringify(msg.format)}: ${(e as Error).message}` });
  }
}

/** Encode RGB as a compressed image message (for tests and publishers of CompressedImage). */
export async function encodeCompressed(img: RgbImage, format: 'jpeg' | 'png'): Promise<CompressedImageMsg> {
  const s = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), { raw: { width: img.width, height: img.height, channels: 3 } });
  const buf = format === 'png' ? await s.png().toBuffer() : await s.jpeg({ quality: 95 }).toBuffer();
  return { format, data: new Uint8Array(buf) };
}

/** Encode RGB as an rgb8 sensor_msgs/Image. */
export function encodeImage(img: RgbImage, frameId = 'camera', seq = 0, stampMs = Date.now()): ImageMsg {
  return {
    header: { seq, stamp: { secs: Math.floor(stampMs / 1000), nsecs: Math.round((stampMs % 1000) * 1e6) }, frame_id: frameId },
    height: img.height,
    width: img.width,
    encoding: 'rgb8',
    is_bigendian: 0,
    step: img.width * 3,
    data: img.data,
  };
}

/** Bilinear resize of an RGB image (pixel centres aligned); returns the input when sizes match. */
export function resizeRgb(img: RgbImage, width: number, height: number): RgbImage {
  if (img.width === width && img.height === height) return img;
  const { width: sw, height: sh, data: src } = img;
  const out = new Uint8Array(width * height * 3); // [H', W', 3]
  const sx = sw / width;
  const sy = sh / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = fx - x0;
      const a = (y0 * sw + x0) * 3;
      const b = (y0 * sw + x1) * 3;
      const c = (y1 * sw + x0) * 3;
      const d = (y1 * sw + x1) * 3;
      const o = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k]! * (1 - wx) + src[b + k]! * wx;
        const bot = src[c + k]! * (1 - wx) + src[d + k]! * wx;
        out[o + k] = Math.round(top * (1 - wy) + bot * wy);
      }
    }
  }
  return { width, height, data: out };
}

/** Decode either camera message type named by `messageType`. */
export async function decodeCameraMsg(messageType: string, msg: unknown, where: string): Promise<RgbImage> {
  if (messageType === 'sensor_msgs/CompressedImage') return decodeCompressed(msg as CompressedImageMsg, where);
  return decodeImage(msg as ImageMsg, where);
}
