/**
 * Image codecs for lara: raw RGB (H*W*3 uint8, row-major HWC) <-> PNG / JPEG, via sharp.
 */
import sharp from 'sharp';
import { LaraError } from '../util/errors.ts';
import { decodePngRgb } from './png.ts';

sharp.concurrency(1);

export interface RawImage {
  width: number;
  height: number;
  /** [H, W, 3] uint8 */
  data: Uint8Array;
}

function toU8(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Encode raw RGB as PNG (lossless) or JPEG (quality 95). */
export async function encodeImage(img: RawImage, format: 'png' | 'jpeg'): Promise<Uint8Array> {
  const s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
  const out = format === 'png' ? await s.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer() : await s.jpeg({ quality: 95 }).toBuffer();
  return toU8(out);
}

/** Which codec a byte string holds, by its magic number, or null. */
export function sniffImage(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Decode PNG/JPEG bytes to raw RGB (alpha dropped, grey expanded). With `size`, resize to it
 * (fill, no crop). `where` names the source in errors.
 */
export async function decodeImage(bytes: Uint8Array, where: { file: string; where: string }, size?: { width: number; height: number }): Promise<RawImage> {
  if (!sniffImage(bytes)) {
    throw new LaraError('not a PNG or JPEG image', { ...where, expected: 'PNG or JPEG bytes', got: `${bytes.length} bytes starting ${Buffer.from(bytes.subarray(0, 4)).toString('hex')}` });
  }
  if (!size) {
    const fast = decodePngRgb(bytes);
    if (fast) return fast;
  }
  try {
    let s = sharp(bytes).removeAlpha().toColourspace('srgb');
    if (size) s = s.resize(size.width, size.height, { fit: 'fill' });
    const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels`);
    return { width: info.width, height: info.height, data: toU8(data) };
  } catch (e) {
    if (e instanceof LaraError) throw e;
    throw new LaraError(`cannot decode image: ${(e as Error).message}`, { ...where, expected: 'a valid PNG or JPEG' });
  }
}

/** Resize raw RGB to another size (fill). */
export async function resizeRaw(img: RawImage, width: number, height: number): Promise<RawImage> {
  if (img.width === width && img.height === height) return img;
  const { data } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data: toU8(data) };
}

/** True when every pixel of the image is the same colour (a blank camera). */
export function isBlank(img: RawImage): boolean {
  const d = img.data;
  for (let i = 3; i < d.length; i++) if (d[i] !== d[i % 3]) return false;
  return true;
}
