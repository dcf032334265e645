/**
 * ffmpeg as a frame source: probe a video's size and rate, and decode it to raw rgb24 frames at a
 * chosen size and fps through a pipe. Uses `ffmpeg` on PATH, else @ffmpeg-installer's binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { LaraError } from '../../util/errors.ts';

let cached: string | undefined;

/** Path of the ffmpeg binary to use. */
export function ffmpegPath(): string {
  if (cached) return cached;
  const onPath = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (onPath.status === 0) return (cached = 'ffmpeg');
  try {
    const req = createRequire(import.meta.url);
    return (cached = (req('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  } catch {
    throw new LaraError('ffmpeg not found', { expected: 'ffmpeg on PATH or the @ffmpeg-installer/ffmpeg package' });
  }
}

export interface VideoProbe {
  width: number;
  height: number;
  fps: number;
}

/** Read size and frame rate from ffmpeg's stream description. */
export function probeVideo(file: string): VideoProbe {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-i', file], { encoding: 'utf8' });
  const text = r.stderr ?? '';
  const line = text.split('\n').find((l) => /Stream #.*Video:/.test(l));
  if (!line) {
    const last = text.trim().split('\n').pop() ?? '';
    throw new LaraError('not a readable video', { file, expected: 'a file with a video stream', got: last || `ffmpeg exit ${r.status}` });
  }
  const size = /,\s*(\d{2,5})x(\d{2,5})[\s,\[]/.exec(line);
  const fps = /,\s*([\d.]+)\s*fps/.exec(line) ?? /,\s*([\d.]+)\s*tbr/.exec(line);
  if (!size) throw new LaraError('cannot read the video size', { file, got: line.trim() });
  return { width: Number(size[1]), height: Number(size[2]), fps: fps ? Number(fps[1]) : 0 };
}

/**
 * Decode `file` to rgb24 frames of `width`x`height` at `fps` (ffmpeg's fps filter picks the
 * nearest earlier frame). Calls onFrame for each frame; rejects with a LaraError naming the file
 * when ffmpeg fails.
 */
export function decodeVideo(file: string, o: { width: number; height: number; fps: number; maxFrames?: number }, onFrame: (frame: Uint8Array, index: number) => void): Promise<number> {
  const frameBytes = o.width * o.height * 3;
  const args = ['-hide_banner', '-v', 'error', '-i', file, '-an', '-vf', `fps=${o.fps},scale=${o.width}:${o.height}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24'];
  if (o.maxFrames !== undefined) args.push('-frames:v', String(o.maxFrames));
  args.push('pipe:1');
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpegPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf: Buffer = Buffer.alloc(0);
    let n = 0;
    let err = '';
    let failed: unknown = null;
    p.stdout.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= frameBytes && !failed) {
        try {
          onFrame(new Uint8Array(buf.subarray(0, frameBytes)), n++);
        } catch (e) {
          failed = e;
          p.kill('SIGKILL');
        }
        buf = buf.subarray(frameBytes);
      }
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 8000) err = err.slice(-4000);
    });
    p.on('error', (e) => reject(new LaraError(`cannot run ffmpeg: ${e.message}`, { file })));
    p.on('close', (code) => {
      if (failed) return reject(failed);
      const msg = err.trim().split('\n').slice(-2).join(' | ');
      if (code !== 0) return reject(new LaraError('ffmpeg could not decode the video', { file, expected: 'a decodable video', got: msg || `exit code ${code}` }));
      if (msg && n === 0) return reject(new LaraError('ffmpeg reported errors and produced no frames', { file, got: msg }));
      if (buf.length) return reject(new LaraError('video ended inside a frame', { file, where: `frame ${n}`, expected: `${frameBytes} bytes`, got: `${buf.length}` }));
      resolve(n);
    });
  });
}
