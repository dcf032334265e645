/**
 * ROS 1 bag importer: one episode per bag. Frames come from an image topic (sensor_msgs/Image or
 * CompressedImage), resampled to the dataset fps by taking the nearest earlier image at each tick;
 * actions (optional) from a Twist / JointState / Float*MultiArray topic, resampled the same way
 * (ticks before the first action message get zeros and are counted in metadata).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetWriter } from '../DatasetWriter.ts';
import { openBag, bagMessages, formatTopics, type OpenBag, type TopicInfo } from '../bag/openBag.ts';
import { sampleNearestEarlier, ticks, type Timed } from '../resample.ts';
import { ACTION_TYPES, IMAGE_TYPES, actionNames, actionRow, rosImageToRgb } from './rosMessages.ts';
import { LaraError } from '../../util/errors.ts';
import { naturalCompare, type ImportOptions, type ImportResult } from './common.ts';

export interface RosbagOptions extends ImportOptions {
  /** Image topic; default: the bag's only image topic. */
  imageTopic?: string;
  /** Action topic (optional). */
  actionTopic?: string;
  /** Camera name in the dataset (default: 'main'). */
  camera?: string;
}

function topicOf(b: OpenBag, topic: string, types: string[], what: string): TopicInfo {
  const t = b.topics.find((x) => x.topic === topic);
  if (!t) throw new LaraError(`no such ${what} topic in the bag`, { file: b.path, where: topic, expected: `one of: ${formatTopics(b.topics)}` });
  if (!types.includes(t.type)) throw new LaraError(`topic has an unsupported ${what} type`, { file: b.path, where: topic, expected: types.join(', '), got: t.type });
  if (t.count === 0) throw new LaraError(`${what} topic has no messages`, { file: b.path, where: topic });
  return t;
}

/** Pick the image topic: the named one, else the only image topic; errors list the topics. */
export function chooseImageTopic(b: OpenBag, imageTopic?: string): TopicInfo {
  if (imageTopic) return topicOf(b, imageTopic, IMAGE_TYPES, 'image');
  const imgs = b.topics.filter((t) => IMAGE_TYPES.includes(t.type) && t.count > 0);
  if (imgs.length === 0) throw new LaraError('bag has no image topic, so it cannot make a dataset of frames', { file: b.path, expected: `a ${IMAGE_TYPES.join(' or ')} topic`, got: `topics ${formatTopics(b.topics)}` });
  if (imgs.length > 1) throw new LaraError('bag has several image topics; choose one with --image-topic', { file: b.path, expected: imgs.map((t) => t.topic).join(' or ') });
  return imgs[0]!;
}

export interface ExtractedActions {
  names: string[];
  /** Tick times (ns, bag clock). */
  timesNs: bigint[];
  /** One row per tick (nearest earlier message; zeros before the first). */
  rows: Float32Array[];
  /** Ticks that came before the first action message. */
  beforeFirst: number;
}

/** Read an action topic and resample it at `fps` over [startNs, endNs] (default: the topic's own span). */
export async function extractActions(b: OpenBag, topic: string, fps: number, span?: { startNs: bigint; endNs: bigint }): Promise<ExtractedActions> {
  const t = topicOf(b, topic, ACTION_TYPES, 'action');
  const msgs: Timed<Record<string, unknown>>[] = [];
  for await (const m of bagMessages(b, [topic])) msgs.push({ timeNs: m.timeNs, value: m.message });
  const names = actionNames(t.type, msgs[0]!.value);
  const tk = ticks(span?.startNs ?? msgs[0]!.timeNs, span?.endNs ?? msgs[msgs.length - 1]!.timeNs, fps);
  const picked = await sampleNearestEarlier(
    (async function* () {
      yield* msgs;
    })(),
    tk,
  );
  let beforeFirst = 0;
  const rows = picked.map((m, i) => {
    if (m === null) {
      beforeFirst++;
      return new Float32Array(names.length);
    }
    return actionRow(t.type, m, names.length, { file: b.path, where: `${topic} tick ${i}` });
  });
  return { names, timesNs: tk, rows, beforeFirst };
}

/** Mean message rate of a topic from the bag's span (Hz). */
function topicRate(t: TopicInfo, first: bigint, last: bigint): number {
  const dur = Number(last - first) / 1e9;
  return dur > 0 ? (t.count - 1) / dur : 10;
}

async function bagFirstLast(b: OpenBag, topic: string): Promise<{ first: bigint; last: bigint }> {
  let first: bigint | null = null;
  let last = 0n;
  for await (const m of bagMessages(b, [topic])) {
    first ??= m.timeNs;
    last = m.timeNs;
  }
  return { first: first ?? 0n, last };
}

export function listBags(src: string): string[] {
  if (!existsSync(src)) throw new LaraError('no such file or folder', { file: src });
  if (statSync(src).isFile()) return [src];
  const bags = readdirSync(src).filter((f) => f.endsWith('.bag')).sort(naturalCompare).map((f) => join(src, f));
  if (!bags.length) throw new LaraError('no .bag files in folder', { file: src });
  return bags;
}

export async function importRosbag(src: string, opts: RosbagOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const camera = opts.camera ?? 'main';
  let writer: DatasetWriter | null = null;
  let fps = opts.fps;
  let size = opts.size;
  let names: string[] | null = null;
  try {
    for (const file of listBags(src)) {
      const b = await openBag(file);
      try {
        const img = chooseImageTopic(b, opts.imageTopic);
        const { first, last } = await bagFirstLast(b, img.topic);
        fps ??= Math.max(1, Math.round(topicRate(img, first, last)));
        const tk = ticks(first, last, fps);
        const stream = (async function* () {
          for await (const m of bagMessages(b, [img.topic])) yield { timeNs: m.timeNs, value: m.message };
        })();
        const picked = await sampleNearestEarlier(stream, tk);
        const frames: Uint8Array[] = [];
        for (const [i, m] of picked.entries()) {
          const im = await rosImageToRgb(img.type, m!, { file, where: `${img.topic} tick ${i}` }, opts.size);
          size ??= { width: im.width, height: im.height };
          if (im.width !== size.width || im.height !== size.height) throw new LaraError('image size changed (pass --size WxH)', { file, where: `${img.topic} tick ${i}`, expected: `${size.width}x${size.height}`, got: `${im.width}x${im.height}` });
          frames.push(im.data);
        }
        let actions: ExtractedActions | null = null;
        if (opts.actionTopic) {
          actions = await extractActions(b, opts.actionTopic, fps, { startNs: first, endNs: last });
          if (names && names.join() !== actions.names.join()) throw new LaraError('action dimensions differ between bags', { file, where: opts.actionTopic, expected: names.join(','), got: actions.names.join(',') });
          names = actions.names;
        }
        writer ??= DatasetWriter.create(opts.out, {
          robot: opts.robot ?? 'ros',
          fps,
          cameras: [{ name: camera, width: size!.width, height: size!.height, encoding: opts.encoding ?? 'png' }],
          actionNames: names,
          source: { format: 'rosbag', path: src, image_topic: img.topic, action_topic: opts.actionTopic ?? null },
          overwrite: opts.overwrite ?? false,
        });
        const ep = {
          instruction: '',
          cameras: { [camera]: { ...size!, frames } },
          timestamps: tk.map((t) => Number(t - first) / 1e9),
          metadata: { source_file: basename(file), start_time_ns: first.toString(), ...(actions ? { ticks_before_first_action: actions.beforeFirst } : {}) },
          ...(actions ? { actions: actions.rows } : {}),
        };
        const k = await writer.addEpisode(ep);
        opts.onEpisode?.(k, frames.length);
      } finally {
        await b.close();
      }
      if (opts.maxEpisodes !== undefined && writer && writer.numEpisodes >= opts.maxEpisodes) break;
    }
    return { info: await writer!.finish(), seconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    writer?.abort();
    throw e;
  }
}
