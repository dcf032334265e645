/**
 * Store latent action codes in an existing dataset, atomically: a full copy of the dataset is
 * built beside it with every episode's /lara/latent_action channel replaced (other messages are
 * copied byte for byte, not re-encoded), then swapped into place.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { McapIndexedReader, McapWriter } from '@mcap/core';
import { FileReadable, FileWritable } from './mcap/fileIo.ts';
import { rosType } from './ros/msgdefs.ts';
import { swapIntoPlace } from '../util/atomic.ts';
import { tempPathFor, writeJsonAtomic } from '../util/atomic.ts';
import { LaraError } from '../util/errors.ts';
import { EPISODES_DIR, INDEX_FILE, INFO_FILE, SPLITS_FILE, TOPICS, loadIndex, loadInfo } from './format.ts';
import { EpisodeMcapReader } from './mcap/EpisodeMcapReader.ts';

export interface WriteLatentsOptions {
  /** Size of the latent codebook |A|; every code must be in [0, numCodes). */
  numCodes: number;
}

export async function writeLatents(dir: string, labels: Int32Array[], opts: WriteLatentsOptions): Promise<void> {
  const info = loadInfo(dir);
  const index = loadIndex(dir, info);
  if (labels.length !== index.episodes.length) throw new LaraError('one label array per episode is needed', { file: dir, expected: String(index.episodes.length), got: String(labels.length) });
  labels.forEach((l, k) => {
    const want = Math.max(0, index.episodes[k]!.length - 1);
    if (l.length !== want) throw new LaraError('latent count must be episode length - 1', { file: dir, where: `episode ${k}`, expected: String(want), got: String(l.length) });
    const bad = l.findIndex((c) => !(c >= 0 && c < opts.numCodes));
    if (bad >= 0) throw new LaraError('latent code out of range', { file: dir, where: `episode ${k} step ${bad}`, expected: `0..${opts.numCodes - 1}`, got: String(l[bad]) });
  });
  const tmp = tempPathFor(dir);
  mkdirSync(join(tmp, EPISODES_DIR), { recursive: true });
  try {
    for (const [k, e] of index.episodes.entries()) {
      e.bytes = await rewriteEpisode(join(dir, e.file), join(tmp, e.file), labels[k]!);
    }
    writeJsonAtomic(join(tmp, INFO_FILE), { ...info, has_latents: true, latent_codes: opts.numCodes });
    writeJsonAtomic(join(tmp, INDEX_FILE), index);
    if (existsSync(join(dir, SPLITS_FILE))) copyFileSync(join(dir, SPLITS_FILE), join(tmp, SPLITS_FILE));
    swapIntoPlace(tmp, dir);
  } catch (e) {
    const { rmSync } = await import('node:fs');
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function rewriteEpisode(src: string, dst: string, codes: Int32Array): Promise<number> {
  const ep = await EpisodeMcapReader.open(src);
  await ep.close();
  const io = await FileReadable.open(src);
  const out = await FileWritable.create(dst);
  try {
    const r = await McapIndexedReader.Initialize({ readable: io });
    const w = new McapWriter({ writable: out, chunkSize: 64 * 1024, useMessageIndex: true, useChunkIndex: true, useStatistics: true, useSummaryOffsets: true, useMetadataIndex: true });
    await w.start({ profile: r.header.profile, library: 'lara' });
    const schemaMap = new Map<number, number>();
    for (const s of r.schemasById.values()) schemaMap.set(s.id, await w.registerSchema({ name: s.name, encoding: s.encoding, data: s.data }));
    const chMap = new Map<number, number>();
    for (const c of r.channelsById.values()) {
      if (c.topic === TOPICS.latent) continue;
      chMap.set(c.id, await w.registerChannel({ topic: c.topic, schemaId: schemaMap.get(c.schemaId)!, messageEncoding: c.messageEncoding, metadata: c.metadata }));
    }
    const t = rosType('std_msgs/Int32');
    const latSchema = await w.registerSchema({ name: t.name, encoding: 'ros1msg', data: new TextEncoder().encode(t.text) });
    const latCh = await w.registerChannel({ topic: TOPICS.latent, schemaId: latSchema, messageEncoding: 'ros1', metadata: new Map() });
    const stepOf = new Map(ep.timesNs.map((x, i) => [x, i]));
    let nextLatent = 0;
    const flushLatents = async (upto: number): Promise<void> => {
      for (; nextLatent < codes.length && nextLatent <= upto; nextLatent++) {
        const time = ep.timesNs[nextLatent]!;
        await w.addMessage({ channelId: latCh, sequence: nextLatent, logTime: time, publishTime: time, data: t.writer.writeMessage({ data: codes[nextLatent]! }) });
      }
    };
    for await (const m of r.readMessages()) {
      const ch = chMap.get(m.channelId);
      if (ch === undefined) continue;
      await flushLatents((stepOf.get(m.logTime) ?? 0) - 1);
      await w.addMessage({ ...m, channelId: ch });
    }
    await flushLatents(codes.length);
    for await (const md of r.readMetadata()) await w.addMetadata(md);
    await w.end();
    return Number(out.position());
  } catch (e) {
    if (e instanceof LaraError) throw e;
    throw new LaraError(`cannot rewrite episode: ${(e as Error).message}`, { file: src });
  } finally {
    await io.close();
    await out.close();
  }
}
