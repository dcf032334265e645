/**
 * Video importer: each video file (or each video in a folder) becomes one episode, or several
 * of `episodeLength` frames. Frames are decoded by ffmpeg at the dataset size and fps; no actions.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetWriter } from '../DatasetWriter.ts';
import { LaraError } from '../../util/errors.ts';
import { decodeVideo, probeVideo } from './ffmpeg.ts';
import { naturalCompare, type ImportOptions, type ImportResult } from './common.ts';

export interface VideoOptions extends ImportOptions {
  /** Split each video into episodes of this many frames (the remainder shorter than 2 frames is dropped). */
  episodeLength?: number;
  /** Camera name (default 'main'). */
  camera?: string;
}

const VIDEO_EXT = /\.(mp4|m4v|mkv|webm|avi|mov|mpg|mpeg|gif)$/i;

export function listVideos(src: string): string[] {
  if (!existsSync(src)) throw new LaraError('no such file or folder', { file: src });
  if (statSync(src).isFile()) return [src];
  const files = readdirSync(src).filter((f) => VIDEO_EXT.test(f)).sort(naturalCompare).map((f) => join(src, f));
  if (!files.length) throw new LaraError('no video files in folder', { file: src, expected: 'files ending .mp4, .mkv, .webm, .avi, .mov, ...' });
  return files;
}

export async function importVideo(src: string, opts: VideoOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const files = listVideos(src);
  const first = probeVideo(files[0]!);
  const size = opts.size ?? { width: first.width, height: first.height };
  const fps = opts.fps ?? (first.fps > 0 ? first.fps : 10);
  const camera = opts.camera ?? 'main';
  const writer = DatasetWriter.create(opts.out, {
    robot: opts.robot ?? 'video',
    fps,
    cameras: [{ name: camera, width: size.width, height: size.height, encoding: opts.encoding ?? 'png' }],
    source: { format: 'video', path: src, files: files.length },
    overwrite: opts.overwrite ?? false,
  });
  try {
    outer: for (const file of files) {
      if (file !== files[0]) probeVideo(file);
      const frames: Uint8Array[] = [];
      await decodeVideo(file, { ...size, fps }, (f) => void frames.push(f));
      if (frames.length === 0) throw new LaraError('video has no frames', { file });
      const L = opts.episodeLength ?? frames.length;
      for (let s = 0; s < frames.length; s += L) {
        const part = frames.slice(s, s + L);
        if (part.length < 2 && s > 0) break;
        const k = await writer.addEpisode({
          instruction: '',
          cameras: { [camera]: { ...size, frames: part } },
          timestamps: part.map((_, i) => i / fps),
          metadata: { source_file: basename(file), first_frame: s },
        });
        opts.onEpisode?.(k, part.length);
        if (opts.maxEpisodes !== undefined && writer.numEpisodes >= opts.maxEpisodes) break outer;
      }
    }
    return { info: await writer.finish(), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    writer.abort();
    throw e;
  }
}
