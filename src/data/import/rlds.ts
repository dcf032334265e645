/**
 * RLDS importer: TFDS-prepared TFRecord shards, one tf.train.Example per episode with features
 * flattened over steps (`steps/observation/image`, `steps/action` or `steps/action/<part>`, ...).
 * Handles RT-1 (fractal) and Open X-Embodiment key conventions. See docs/dataset-format.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readTfRecords } from '../tfrecord/TfRecordReader.ts';
import { decodeExample, ProtoError, type Example, type Feature } from '../tfrecord/example.ts';
import { decodeImage, isBlank, sniffImage } from '../image.ts';
import { DatasetWriter } from '../DatasetWriter.ts';
import type { Episode } from '../episode.ts';
import { LaraError } from '../../util/errors.ts';
import { naturalCompare, type ImportOptions, type ImportResult } from './common.ts';

export interface RldsOptions extends ImportOptions {
  /** Image feature(s): full key or last path part, comma-separated; default: first non-blank image. */
  imageKey?: string;
  /** Splits to import (default: all found), in this order. */
  splits?: string[];
}

/** Default control rates of known RLDS datasets (Hz). */
const KNOWN_FPS: Record<string, number> = { fractal20220817_data: 3, bridge_dataset: 5, bridge: 5 };
const OXE_7D = ['x', 'y', 'z', 'roll', 'pitch', 'yaw', 'gripper'];
/** RT-1 action parts in their conventional order, with dimension labels. */
const RT1_PARTS: [string, string[]][] = [
  ['world_vector', ['x', 'y', 'z']],
  ['rotation_delta', ['roll', 'pitch', 'yaw']],
  ['gripper_closedness_action', ['gripper']],
  ['base_displacement_vector', ['base_x', 'base_y']],
  ['base_displacement_vertical_rotation', ['base_yaw']],
  ['terminate_episode', ['terminate', 'arm_gripper_mode', 'base_mode']],
];
const INSTRUCTION_KEYS = ['steps/language_instruction', 'steps/observation/natural_language_instruction'];

interface Shard {
  file: string;
  split: string;
}

/** Find TFRecord shards: a file, or a TFDS version folder (NAME-SPLIT.tfrecord-XXXXX-of-YYYYY). */
export function findShards(src: string, splits?: string[]): { shards: Shard[]; name: string } {
  if (!existsSync(src)) throw new LaraError('no such file or folder', { file: src });
  if (statSync(src).isFile()) return { shards: [{ file: src, split: splitOf(basename(src)) }], name: basename(src).split('-')[0] ?? 'rlds' };
  let name = '';
  const infoFile = join(src, 'dataset_info.json');
  if (existsSync(infoFile)) {
    try {
      name = String((JSON.parse(readFileSync(infoFile, 'utf8')) as { name?: string }).name ?? '');
    } catch (e) {
      throw new LaraError(`cannot parse dataset_info.json: ${(e as Error).message}`, { file: infoFile, expected: 'JSON' });
    }
  }
  const files = readdirSync(src).filter((f) => /\.tfrecord(-\d+-of-\d+)?$/.test(f)).sort(naturalCompare);
  if (files.length === 0) throw new LaraError('no TFRecord shards in folder', { file: src, expected: 'files named NAME-SPLIT.tfrecord-XXXXX-of-YYYYY' });
  let shards = files.map((f) => ({ file: join(src, f), split: splitOf(f) }));
  if (splits) {
    const have = [...new Set(shards.map((s) => s.split))];
    for (const s of splits) if (!have.includes(s)) throw new LaraError('no shards for split', { file: src, where: `split ${s}`, expected: have.join(', ') });
    shards = splits.flatMap((s) => shards.filter((x) => x.split === s));
  }
  return { shards, name: name || basename(files[0]!).split('-')[0] || 'rlds' };
}

function splitOf(file: string): string {
  const m = /-([A-Za-z0-9_]+)\.tfrecord/.exec(file);
  return m?.[1] ?? 'all';
}

interface Layout {
  T: number;
  imageKeys: string[];
  actionParts: { key: string; names: string[] }[] | null;
  stateKey: string | null;
  stateDim: number;
}

function stepsCount(ex: Example, file: string, where: string): number {
  const f = ex.get('steps/is_first') ?? ex.get('steps/is_last');
  if (f) return f.value.length;
  const img = [...ex.entries()].find(([k, v]) => k.startsWith('steps/observation/') && v.kind === 'bytes');
  if (img) return img[1].value.length;
  throw new LaraError('cannot tell the number of steps', { file, where, expected: 'steps/is_first or an image feature', got: [...ex.keys()].join(', ') });
}

async function chooseLayout(ex: Example, opts: RldsOptions, file: string, where: string): Promise<Layout> {
  const T = stepsCount(ex, file, where);
  const images = [...ex.entries()]
    .filter(([k, v]) => k.startsWith('steps/') && v.kind === 'bytes' && v.value.length === T && T > 0 && sniffImage(v.value[0] as Uint8Array) !== null)
    .map(([k]) => k)
    .sort(naturalCompare);
  if (images.length === 0) throw new LaraError('no image feature in the episode', { file, where, expected: 'a steps/observation/... bytes feature of PNG/JPEG images', got: [...ex.keys()].sort().join(', ') });
  let imageKeys: string[];
  if (opts.imageKey) {
    imageKeys = opts.imageKey.split(',').map((want) => {
      const k = images.find((x) => x === want || x.endsWith('/' + want));
      if (!k) throw new LaraError('no such image feature', { file, where: `--image-key ${want}`, expected: images.join(', ') });
      return k;
    });
  } else {
    let chosen: string | undefined;
    for (const k of images) {
      const v = ex.get(k)!.value as Uint8Array[];
      const first = await decodeImage(v[0]!, { file, where: `${where} ${k} step 0` });
      const last = await decodeImage(v[T - 1]!, { file, where: `${where} ${k} step ${T - 1}` });
      if (!isBlank(first) || !isBlank(last)) {
        chosen = k;
        break;
      }
    }
    if (!chosen) throw new LaraError('every image feature is blank', { file, where, expected: 'a non-blank camera', got: images.join(', ') });
    imageKeys = [chosen];
  }
  let actionParts: Layout['actionParts'] = null;
  const flat = ex.get('steps/action');
  if (flat && flat.kind !== 'bytes' && T > 0) {
    const dim = flat.value.length / T;
    if (!Number.isInteger(dim) || dim < 1) throw new LaraError('steps/action length is not a multiple of the step count', { file, where, expected: `k * ${T}`, got: String(flat.value.length) });
    actionParts = [{ key: 'steps/action', names: dim === 7 ? OXE_7D : Array.from({ length: dim }, (_, i) => `action_${i}`) }];
  } else {
    const parts = [...ex.keys()].filter((k) => k.startsWith('steps/action/') && ex.get(k)!.kind !== 'bytes');
    if (parts.length) {
      const order = (k: string): number => {
        const i = RT1_PARTS.findIndex(([p]) => k === `steps/action/${p}`);
        return i < 0 ? RT1_PARTS.length : i;
      };
      parts.sort((a, b) => order(a) - order(b) || naturalCompare(a, b));
      actionParts = parts.map((key) => {
        const dim = ex.get(key)!.value.length / T;
        if (!Number.isInteger(dim)) throw new LaraError('action part length is not a multiple of the step count', { file, where: `${where} ${key}`, expected: `k * ${T}`, got: String(ex.get(key)!.value.length) });
        const part = key.slice('steps/action/'.length);
        const known = RT1_PARTS.find(([p]) => p === part)?.[1];
        return { key, names: known && known.length === dim ? known : Array.from({ length: dim }, (_, i) => `${part}_${i}`) };
      });
    }
  }
  const st = ex.get('steps/observation/state');
  const stateKey = st && st.kind !== 'bytes' && T > 0 && st.value.length % T === 0 && st.value.length > 0 ? 'steps/observation/state' : null;
  return { T, imageKeys, actionParts, stateKey, stateDim: stateKey ? st!.value.length / T : 0 };
}

const num = (f: Feature, i: number): number => (f.kind === 'int64' ? Number(f.value[i]!) : f.kind === 'float' ? f.value[i]! : NaN);

function metaValue(f: Feature): unknown {
  const vals = f.kind === 'bytes' ? f.value.map((b) => new TextDecoder().decode(b)) : Array.from(f.value as ArrayLike<number | bigint>, (v) => Number(v));
  return vals.length === 1 ? vals[0] : vals;
}

async function toEpisode(ex: Example, L: Layout, size: { width: number; height: number } | undefined, fps: number, file: string, where: string, meta: Record<string, unknown>): Promise<Episode> {
  const T = stepsCount(ex, file, where);
  const get = (k: string): Feature => {
    const f = ex.get(k);
    if (!f) throw new LaraError('episode lacks a feature the first episode had', { file, where, expected: k, got: [...ex.keys()].sort().join(', ') });
    return f;
  };
  const cameras: Episode['cameras'] = {};
  for (const key of L.imageKeys) {
    const f = get(key);
    if (f.kind !== 'bytes' || f.value.length !== T) throw new LaraError('image feature has the wrong number of images', { file, where: `${where} ${key}`, expected: `${T} encoded images`, got: `${f.value.length} ${f.kind} values` });
    const imgs = await Promise.all(f.value.map((b, t) => decodeImage(b, { file, where: `${where} ${key} step ${t}` }, size)));
    const w = imgs[0]?.width ?? size?.width ?? 0;
    const h = imgs[0]?.height ?? size?.height ?? 0;
    imgs.forEach((im, t) => {
      if (im.width !== w || im.height !== h) throw new LaraError('image size changes within the episode (pass --size)', { file, where: `${where} ${key} step ${t}`, expected: `${w}x${h}`, got: `${im.width}x${im.height}` });
    });
    cameras[key.split('/').pop()!] = { width: w, height: h, frames: imgs.map((i) => i.data) };
  }
  const ep: Episode = { instruction: '', cameras, timestamps: Array.from({ length: T }, (_, t) => t / fps), metadata: meta };
  for (const k of INSTRUCTION_KEYS) {
    const f = ex.get(k);
    if (f?.kind === 'bytes') {
      const s = f.value.map((b) => new TextDecoder().decode(b)).find((x) => x.length > 0);
      if (s) {
        ep.instruction = s;
        break;
      }
    }
  }
  if (L.actionParts) {
    const parts = L.actionParts.map((p) => ({ f: get(p.key), d: p.names.length, key: p.key }));
    for (const p of parts) {
      if (p.f.value.length !== p.d * T) throw new LaraError('action feature has the wrong length', { file, where: `${where} ${p.key}`, expected: `${p.d} x ${T} = ${p.d * T}`, got: String(p.f.value.length) });
    }
    ep.actions = Array.from({ length: T }, (_, t) => {
      const row: number[] = [];
      for (const p of parts) for (let j = 0; j < p.d; j++) row.push(num(p.f, t * p.d + j));
      return Float32Array.from(row);
    });
  }
  if (L.stateKey) {
    const f = get(L.stateKey);
    if (f.value.length !== L.stateDim * T) throw new LaraError('state feature has the wrong length', { file, where: `${where} ${L.stateKey}`, expected: String(L.stateDim * T), got: String(f.value.length) });
    ep.states = Array.from({ length: T }, (_, t) => Float32Array.from({ length: L.stateDim }, (_, j) => num(f, t * L.stateDim + j)));
  }
  return ep;
}

/** Import an RLDS dataset (folder of shards or one shard) into a lara dataset at opts.out. */
export async function importRlds(src: string, opts: RldsOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const { shards, name } = findShards(src, opts.splits);
  const fps = opts.fps ?? KNOWN_FPS[name] ?? 10;
  let writer: DatasetWriter | null = null;
  let layout: Layout | null = null;
  try {
    outer: for (const sh of shards) {
      for await (const rec of readTfRecords(sh.file)) {
        const where = `record ${rec.index} at byte ${rec.offset}`;
        let ex: Example;
        try {
          ex = decodeExample(rec.data);
        } catch (e) {
          if (e instanceof ProtoError) throw new LaraError(`not a valid tf.train.Example: ${e.message}`, { file: sh.file, where });
          throw e;
        }
        if (!layout) layout = await chooseLayout(ex, opts, sh.file, where);
        const meta: Record<string, unknown> = { source_file: basename(sh.file), source_record: rec.index, split: sh.split };
        for (const [k, f] of ex) if (k.startsWith('episode_metadata/')) meta[k.slice('episode_metadata/'.length)] = metaValue(f);
        const ep = await toEpisode(ex, layout, opts.size, fps, sh.file, where, meta);
        if (!writer) {
          const cams = Object.entries(ep.cameras).map(([n, c]) => ({ name: n, width: c.width, height: c.height, encoding: opts.encoding ?? 'png' }));
          writer = DatasetWriter.create(opts.out, {
            robot: opts.robot ?? name,
            fps,
            cameras: cams,
            actionNames: layout.actionParts ? layout.actionParts.flatMap((p) => p.names) : null,
            stateNames: layout.stateKey ? Array.from({ length: layout.stateDim }, (_, i) => `state_${i}`) : null,
            source: { format: 'rlds', path: src, dataset: name, image_keys: layout.imageKeys, action_keys: layout.actionParts?.map((p) => p.key) ?? [], splits: [...new Set(shards.map((s) => s.split))] },
            overwrite: opts.overwrite ?? false,
          });
        }
        const k = await writer.addEpisode(ep);
        opts.onEpisode?.(k, ep.timestamps.length);
        if (opts.maxEpisodes !== undefined && writer.numEpisodes >= opts.maxEpisodes) break outer;
      }
    }
    if (!writer) throw new LaraError('no episodes found', { file: src, expected: 'at least one TFRecord record' });
    const info = await writer.finish();
    return { info, seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    writer?.abort();
    throw e;
  }
}
