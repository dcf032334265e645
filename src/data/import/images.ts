/**
 * Image-folder importer: a folder of PNG/JPEG frames (natural sort order) is one episode; a
 * folder of such folders is one episode per subfolder. No actions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetWriter } from '../DatasetWriter.ts';
import { decodeImage } from '../image.ts';
import { LaraError } from '../../util/errors.ts';
import { naturalCompare, type ImportOptions, type ImportResult } from './common.ts';

const IMAGE_EXT = /\.(png|jpe?g)$/i;

export interface ImagesOptions extends ImportOptions {
  camera?: string;
}

/** Episode folders: [src] when it holds images, else its subfolders that hold images. */
export function listImageEpisodes(src: string): { dir: string; files: string[] }[] {
  if (!existsSync(src) || !statSync(src).isDirectory()) throw new LaraError('not a folder', { file: src, expected: 'a folder of PNG/JPEG frames or of such folders' });
  const imgs = (d: string): string[] => readdirSync(d).filter((f) => IMAGE_EXT.test(f)).sort(naturalCompare).map((f) => join(d, f));
  const own = imgs(src);
  if (own.length) return [{ dir: src, files: own }];
  const subs = readdirSync(src).sort(naturalCompare).map((f) => join(src, f)).filter((p) => statSync(p).isDirectory());
  const eps = subs.map((dir) => ({ dir, files: imgs(dir) })).filter((e) => e.files.length > 0);
  if (!eps.length) throw new LaraError('no images found', { file: src, expected: '*.png / *.jpg frames in the folder or in its subfolders' });
  return eps;
}

export async function importImages(src: string, opts: ImagesOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const eps = listImageEpisodes(src);
  const fps = opts.fps ?? 10;
  const camera = opts.camera ?? 'main';
  let writer: DatasetWriter | null = null;
  let size = opts.size;
  try {
    for (const ep of eps) {
      const frames: Uint8Array[] = [];
      for (const f of ep.files) {
        const img = await decodeImage(new Uint8Array(readFileSync(f)), { file: f, where: 'frame' }, opts.size);
        if (!size) size = { width: img.width, height: img.height };
        if (img.width !== size.width || img.height !== size.height) throw new LaraError('frame size differs from the first frame (pass --size WxH to resize)', { file: f, expected: `${size.width}x${size.height}`, got: `${img.width}x${img.height}` });
        frames.push(img.data);
      }
      writer ??= DatasetWriter.create(opts.out, {
        robot: opts.robot ?? 'video',
        fps,
        cameras: [{ name: camera, width: size!.width, height: size!.height, encoding: opts.encoding ?? 'png' }],
        source: { format: 'images', path: src },
        overwrite: opts.overwrite ?? false,
      });
      const k = await writer.addEpisode({ instruction: '', cameras: { [camera]: { ...size!, frames } }, timestamps: frames.map((_, i) => i / fps), metadata: { source_dir: basename(ep.dir), frames: ep.files.map((f) => basename(f)) } });
      opts.onEpisode?.(k, frames.length);
      if (opts.maxEpisodes !== undefined && writer.numEpisodes >= opts.maxEpisodes) break;
    }
    return { info: await writer!.finish(), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    writer?.abort();
    throw e;
  }
}
