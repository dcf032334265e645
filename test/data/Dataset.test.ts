import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { DatasetWriter } from '../../src/data/DatasetWriter.ts';
import { Dataset } from '../../src/data/Dataset.ts';
import { LaraError } from '../../src/util/errors.ts';
import { scopedTempDirs, syntheticEpisode, tempDir } from './helpers.ts';
import type { Episode } from '../../src/data/episode.ts';
import { McapStreamReader } from '@mcap/core';
import { parse } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg-serialization';

const tmp = scopedTempDirs();

async function build(dir: string, eps: Episode[], encoding: 'png' | 'jpeg' | 'raw' = 'png', latents = false): Promise<void> {
  const w = DatasetWriter.create(dir, {
    robot: 'test', fps: 10,
    cameras: Object.keys(eps[0]!.cameras).map((name) => ({ name, width: 16, height: 12, encoding })),
    actionNames: ['x', 'y', 'grip'], stateNames: ['s0', 's1'], latentCodes: latents ? 8 : null, source: { format: 'synthetic' },
  });
  for (const e of eps) await w.addEpisode(e);
  await w.finish();
}

function expectSameEpisode(got: Episode, want: Episode): void {
  expect(got.instruction).toBe(want.instruction);
  expect(got.metadata).toEqual(want.metadata);
  expect(got.timestamps.length).toBe(want.timestamps.length);
  got.timestamps.forEach((t, i) => expect(t).toBeCloseTo(want.timestamps[i]!, 9));
  for (const [name, cam] of Object.entries(want.cameras)) {
    expect(got.cameras[name]!.frames.length).toBe(cam.frames.length);
    cam.frames.forEach((f, i) => expect(Buffer.from(got.cameras[name]!.frames[i]!).equals(Buffer.from(f))).toBe(true));
  }
  expect(got.actions).toEqual(want.actions);
  expect(got.states).toEqual(want.states);
  expect(got.latents).toEqual(want.latents);
}

describe('Dataset format v1', () => {
  it('round-trips frames (PNG lossless), actions, states, latents, metadata and timestamps', async () => {
    const dir = join(tmp(), 'ds');
    const eps = [syntheticEpisode(12, 16, 12, 1, { latents: true, cameras: ['front', 'wrist'] }), syntheticEpisode(5, 16, 12, 2, { latents: true, cameras: ['front', 'wrist'] })];
    await build(dir, eps, 'png', true);
    const ds = Dataset.open(dir);
    expect(ds.numEpisodes).toBe(2);
    expect(ds.episodeLength(0)).toBe(12);
    expect(ds.info.num_steps).toBe(17);
    expect(ds.info.has_latents).toBe(true);
    expect(ds.info.cameras.map((c) => c.name)).toEqual(['front', 'wrist']);
    expect(ds.info.action!.names).toEqual(['x', 'y', 'grip']);
    const all = eps.flatMap((e) => e.actions!.map((a) => a[0]!));
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    expect(ds.info.action!.stats.mean[0]).toBeCloseTo(mean, 5);
    expect(ds.info.action!.stats.min[0]).toBe(Math.min(...all));
    expect(ds.info.action!.stats.q99[0]).toBeLessThanOrEqual(ds.info.action!.stats.max[0]!);
    for (let k = 0; k < 2; k++) expectSameEpisode(await ds.readEpisode(k), eps[k]!);
    await ds.close();
  });

  it('round-trips raw rgb8 frames and an episode with no latents', async () => {
    const dir = join(tmp(), 'raw');
    const eps = [syntheticEpisode(6, 16, 12, 3)];
    await build(dir, eps, 'raw');
    const ds = Dataset.open(dir);
    expect(ds.info.has_latents).toBe(false);
    expectSameEpisode(await ds.readEpisode(0), eps[0]!);
    await ds.close();
  });

  it('reads a window with stride touching only part of the file', async () => {
    const dir = join(tmp(), 'win');
    const ep = syntheticEpisode(600, 16, 12, 4, { latents: true });
    await build(dir, [ep], 'raw', true);
    const ds = Dataset.open(dir);
    const r = await ds.reader(0);
    const read0 = r.bytesRead;
    const w = await ds.readWindow(0, 150, 4, { stride: 3 });
    expect(w.steps).toEqual([150, 153, 156, 159]);
    w.steps.forEach((s, i) => {
      expect(Buffer.from(w.frames[i]!).equals(Buffer.from(ep.cameras.front!.frames[s]!))).toBe(true);
      expect(w.actions![i]).toEqual(ep.actions![s]);
      expect(w.latents![i]).toBe(ep.latents![s]);
      expect(w.timestamps[i]).toBeCloseTo(ep.timestamps[s]!, 9);
    });
    const size = ds.index.episodes[0]!.bytes;
    expect(r.bytesRead - read0).toBeLessThan(size / 2);
    const last = await ds.readWindow(0, 598, 2);
    expect(Array.from(last.latents!)).toEqual([ep.latents![598], -1]);
    await expect(ds.readWindow(0, 595, 4, { stride: 2 })).rejects.toThrow(/window out of range/);
    await ds.close();
  });

  it('writes latents into an existing dataset atomically', async () => {
    const dir = join(tmp(), 'lat');
    const eps = [syntheticEpisode(7, 16, 12, 5), syntheticEpisode(4, 16, 12, 6)];
    await build(dir, eps, 'jpeg');
    let ds = Dataset.open(dir);
    const before = await ds.readEpisode(1);
    const labels = [Int32Array.from([0, 1, 2, 3, 4, 5]), Int32Array.from([7, 6, 5])];
    await expect(ds.writeLatents([labels[0]!, Int32Array.from([1, 2])], { numCodes: 8 })).rejects.toThrow(/episode 1.*expected 3, got 2/);
    await expect(ds.writeLatents([labels[0]!, Int32Array.from([1, 2, 9])], { numCodes: 8 })).rejects.toThrow(/out of range/);
    ds = await ds.writeLatents(labels, { numCodes: 8 });
    expect(ds.info.has_latents).toBe(true);
    expect(ds.info.latent_codes).toBe(8);
    const after = await ds.readEpisode(1);
    expect(after.latents).toEqual(labels[1]);
    // JPEG frames are copied byte for byte, not re-encoded
    expect(after.cameras.front!.frames).toEqual(before.cameras.front!.frames);
    expect(after.actions).toEqual(before.actions);
    expect(readdirSync(dirname(dir)).filter((f) => f.startsWith('.lara-tmp'))).toEqual([]);
    await ds.close();
  });

  it('leaves nothing behind on abort or on a bad episode, and refuses to overwrite', async () => {
    const root = tmp();
    const dir = join(root, 'bad');
    const w = DatasetWriter.create(dir, { robot: 'r', fps: 5, cameras: [{ name: 'front', width: 16, height: 12 }], actionNames: ['x', 'y', 'grip'] });
    await w.addEpisode(syntheticEpisode(3, 16, 12, 7));
    const wrongSize = syntheticEpisode(3, 8, 8, 8);
    await expect(w.addEpisode(wrongSize)).rejects.toThrow(/episode 1 camera front: camera size differs.*expected 16x12, got 8x8/);
    w.abort();
    expect(readdirSync(root)).toEqual([]);
    await build(join(root, 'ok'), [syntheticEpisode(3, 16, 12, 9)]);
    expect(() => DatasetWriter.create(join(root, 'ok'), { robot: 'r', fps: 5, cameras: [{ name: 'front', width: 16, height: 12 }] })).toThrow(LaraError);
  });

  it('names the file for corrupt or truncated episode MCAPs', async () => {
    const dir = join(tmp(), 'corrupt');
    await build(dir, [syntheticEpisode(30, 16, 12, 10), syntheticEpisode(30, 16, 12, 11)], 'raw');
    const f0 = join(dir, 'episodes/episode_000000.mcap');
    const f1 = join(dir, 'episodes/episode_000001.mcap');
    const b0 = readFileSync(f0);
    writeFileSync(f0, b0.subarray(0, Math.floor(b0.length * 0.6)));
    const b1 = readFileSync(f1);
    b1[Math.floor(b1.length / 2)]! ^= 0xff; // inside a chunk: CRC mismatch on read
    writeFileSync(f1, b1);
    const ds = Dataset.open(dir);
    await expect(ds.readEpisode(0)).rejects.toThrow(/episode_000000\.mcap: corrupt or truncated episode file/);
    await expect(ds.readEpisode(1)).rejects.toThrow(/episode_000001\.mcap: steps 0\.\.29: corrupt episode data.*CRC/);
    writeFileSync(join(dir, 'info.json'), '{"format_version": 2}');
    expect(() => Dataset.open(dir)).toThrow(/info\.json: format_version: invalid dataset description; expected 1, got 2/);
    expect(existsSync(f0)).toBe(true);
    await ds.close();
  });

  it('episode files are self-describing ros1 MCAP (what Foxglove needs): schemas parse and every message decodes', async () => {
    const dir = join(tmp(), 'fox');
    await build(dir, [syntheticEpisode(5, 16, 12, 12, { latents: true })], 'png', true);
    const r = new McapStreamReader({ validateCrcs: true });
    r.append(readFileSync(join(dir, 'episodes/episode_000000.mcap')));
    const schemas = new Map<number, MessageReader>();
    const channels = new Map<number, { topic: string; schemaId: number }>();
    const seen: Record<string, number> = {};
    let header: { profile: string } | undefined;
    for (let rec; (rec = r.nextRecord()); ) {
      if (rec.type === 'Header') header = rec;
      if (rec.type === 'Schema') {
        expect(rec.encoding).toBe('ros1msg');
        schemas.set(rec.id, new MessageReader(parse(new TextDecoder().decode(rec.data))));
      }
      if (rec.type === 'Channel') {
        expect(rec.messageEncoding).toBe('ros1');
        channels.set(rec.id, rec);
      }
      if (rec.type === 'Message') {
        const ch = channels.get(rec.channelId)!;
        const msg = schemas.get(ch.schemaId)!.readMessage<Record<string, unknown>>(rec.data);
        seen[ch.topic] = (seen[ch.topic] ?? 0) + 1;
        if (ch.topic === '/camera/front') expect(msg.format).toBe('png');
        if (ch.topic === '/lara/action') expect((msg.layout as { dim: { label: string }[] }).dim[0]!.label).toBe('x,y,grip');
      }
    }
    expect(r.done()).toBe(true);
    expect(header!.profile).toBe('ros1');
    expect(seen).toEqual({ '/camera/front': 5, '/lara/action': 5, '/lara/state': 5, '/lara/latent_action': 4 });
  });
});

describe('Dataset reader cache', () => {
  it('keeps at most maxOpenFiles readers and never closes one in use by concurrent reads', async () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'many');
      const eps = Array.from({ length: 6 }, (_, i) => syntheticEpisode(8, 16, 12, 20 + i));
      await build(dir, eps, 'raw');
      const ds = Dataset.open(dir, { maxOpenFiles: 2 });
      const reads = [];
      for (let round = 0; round < 3; round++) for (let k = 0; k < 6; k++) reads.push(ds.readWindow(k, round, 4).then((w) => [k, w] as const));
      for (const [k, w] of await Promise.all(reads)) {
        expect(Buffer.from(w.frames[0]!).equals(Buffer.from(eps[k]!.cameras.front!.frames[w.steps[0]!]!))).toBe(true);
      }
      await ds.close();
    } finally {
      t.cleanup();
    }
  });
});
