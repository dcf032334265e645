/**
 * `lara dataset view DIR --episode k --out PREFIX`: writes PREFIX.png (contact sheet of the
 * episode's frames) and PREFIX.gif (animation at the dataset fps).
 */
import type { Argv, CommandModule } from 'yargs';
import { Dataset } from '../data/Dataset.ts';
import { contactSheet, episodeGif } from '../data/view.ts';
import { writeFileAtomic } from '../util/atomic.ts';

interface Args {
  dir: string;
  episode: number;
  out: string;
  camera?: string;
  'max-frames': number;
  scale: number;
}

export const datasetViewCommand: CommandModule<object, Args> = {
  command: 'view <dir>',
  describe: 'Write a contact-sheet PNG and a GIF of one episode',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'dataset folder' })
      .option('episode', { type: 'number', default: 0, describe: 'episode index' })
      .option('out', { type: 'string', demandOption: true, describe: 'output prefix (writes PREFIX.png and PREFIX.gif)' })
      .option('camera', { type: 'string', describe: 'camera (default: the first)' })
      .option('max-frames', { type: 'number', default: 64, describe: 'frames in the contact sheet (evenly spaced)' })
      .option('scale', { type: 'number', default: 2, describe: 'contact sheet scale factor' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const ds = Dataset.open(a.dir);
    try {
      const cam = ds.camera(a.camera);
      const len = ds.episodeLength(a.episode);
      const w = await ds.readWindow(a.episode, 0, len, { camera: cam.name });
      const n = Math.min(len, a['max-frames']);
      const pick = Array.from({ length: n }, (_, i) => w.frames[Math.round((i * (len - 1)) / Math.max(1, n - 1))]!);
      writeFileAtomic(`${a.out}.png`, await contactSheet(pick, cam.width, cam.height, { scale: a.scale }));
      writeFileAtomic(`${a.out}.gif`, episodeGif(w.frames, cam.width, cam.height, ds.info.fps));
      const instr = ds.index.episodes[a.episode]!.instruction;
      process.stdout.write(`episode ${a.episode}: ${len} steps${instr ? ` "${instr}"` : ''}\nwrote ${a.out}.png (${n} frames) and ${a.out}.gif (${len} frames at ${ds.info.fps} fps)\n`);
    } finally {
      await ds.close();
    }
  },
};
