import sharp from 'sharp';
import { TabletopEnv } from '../src/sim/tabletop.ts';
const out: Buffer[] = [];
for (const gantry of [false, true]) {
  const env = new TabletopEnv({ gantry, tasks: [{ kind: 'push', block: 'blue', zone: 'red' } as never].slice(0, 0).length ? [] : undefined } as never);
  const img = env.reset(5, undefined as never).image;
  out.push(await sharp(Buffer.from(img), { raw: { width: 64, height: 64, channels: 3 } }).resize(256, 256, { kernel: 'nearest' }).png().toBuffer());
}
await sharp({ create: { width: 512, height: 256, channels: 3, background: 'white' } }).composite([{ input: out[0]!, left: 0, top: 0 }, { input: out[1]!, left: 256, top: 0 }]).png().toFile('/work/scratch/s8/view.png');
