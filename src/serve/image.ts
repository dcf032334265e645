/**
 * The `act` request's image frame -> RGB [H, W, 3] uint8, checked against the header's declared
 * width, height and encoding. Compressed frames decode through src/ros/image.ts (sharp).
 */
import { decodeCompressed, type RgbImage } from '../ros/image.ts';
import type { ActRequest } from './protocol.ts';
import { RequestError } from './protocol.ts';

export async function decodeImageFrame(req: ActRequest, frame: Uint8Array): Promise<RgbImage> {
  const { width, height, encoding } = req;
  if (encoding === 'rgb8') {
    const want = width * height * 3;
    if (frame.length !== want) {
      throw new RequestError('image', `${want} bytes (rgb8, ${width}x${height}x3 as declared by width/height)`, `${frame.length} bytes`);
    }
    return { width, height, data: new Uint8Array(frame.buffer, frame.byteOffset, frame.length) };
  }
  if (frame.length === 0) throw new RequestError('image', `${encoding} bytes`, 'an empty frame');
  let img: RgbImage;
  try {
    img = await decodeCompressed({ format: encoding, data: frame }, 'image');
  } catch {
    throw new RequestError('image', `a decodable ${encoding} image`, `${frame.length} bytes that do not decode`);
  }
  if (img.width !== width || img.height !== height) {
    throw new RequestError('image', `a ${width}x${height} ${encoding} image (as declared by width/height)`, `${img.width}x${img.height}`);
  }
  return img;
}
