/**
 * `lara dataset import SRC --format rlds|rosbag|video|images --out DIR`: convert external data into
 * a lara dataset (format v1). The output appears only when the import succeeds.
 */
import type { Argv, CommandModule } from 'yargs';
import { importRlds } from '../data/import/rlds.ts';
import { importRosbag } from '../data/import/rosbag.ts';
import { importVideo } from '../data/import/video.ts';
import { importImages } from '../data/import/images.ts';
import { parseSize, type ImportOptions, type ImportResult } from '../data/import/common.ts';
import { formatSummary, summarize } from '../data/summary.ts';
import { Dataset } from '../data/Dataset.ts';
import { IMAGE_ENCODINGS, type ImageEncoding } from '../data/format.ts';

interface Args {
  src: string;
  format: 'rlds' | 'rosbag' | 'video' | 'images';
  out: string;
  overwrite?: boolean;
  size?: string;
  fps?: number;
  encoding?: string;
  robot?: string;
  'max-episodes'?: number;
  'image-key'?: string;
  split?: string;
  'image-topic'?: string;
  'action-topic'?: string;
  'episode-length'?: number;
  camera?: string;
  quiet?: boolean;
}

export async function runImport(a: Args): Promise<ImportResult> {
  const common: ImportOptions = {
    out: a.out,
    overwrite: a.overwrite ?? false,
    ...(a.size ? { size: parseSize(a.size) } : {}),
    ...(a.fps !== undefined ? { fps: a.fps } : {}),
    ...(a.encoding ? { encoding: a.encoding as ImageEncoding } : {}),
    ...(a.robot ? { robot: a.robot } : {}),
    ...(a['max-episodes'] !== undefined ? { maxEpisodes: a['max-episodes'] } : {}),
    ...(a.quiet ? {} : { onEpisode: (k: number, n: number) => process.stderr.write(`\rimported episode ${k + 1} (${n} steps)   `) }),
  };
  const cam = a.camera ? { camera: a.camera } : {};
  switch (a.format) {
    case 'rlds':
      return importRlds(a.src, { ...common, ...(a['image-key'] ? { imageKey: a['image-key'] } : {}), ...(a.split ? { splits: a.split.split(',') } : {}) });
    case 'rosbag':
      return importRosbag(a.src, { ...common, ...cam, ...(a['image-topic'] ? { imageTopic: a['image-topic'] } : {}), ...(a['action-topic'] ? { actionTopic: a['action-topic'] } : {}) });
    case 'video':
      return importVideo(a.src, { ...common, ...cam, ...(a['episode-length'] ? { episodeLength: a['episode-length'] } : {}) });
    case 'images':
      return importImages(a.src, { ...common, ...cam });
  }
}

export const datasetImportCommand: CommandModule<object, Args> = {
  command: 'import <src>',
  describe: 'Import RLDS TFRecords, ROS 1 bags, videos or image folders as a lara dataset',
  builder: (y: Argv) =>
    y
      .positional('src', { type: 'string', demandOption: true, describe: 'source file or folder' })
      .option('format', { choices: ['rlds', 'rosbag', 'video', 'images'] as const, demandOption: true, describe: 'source format' })
      .option('out', { type: 'string', demandOption: true, describe: 'output dataset folder' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace an existing output folder' })
      .option('size', { type: 'string', describe: 'frame size WxH (default: the source size)' })
      .option('fps', { type: 'number', describe: 'steps per second (default: source rate; RLDS: 3 for RT-1, 5 for Bridge, else 10)' })
      .option('encoding', { choices: IMAGE_ENCODINGS, default: 'png', describe: 'frame storage: png (lossless), jpeg, raw rgb8' })
      .option('robot', { type: 'string', describe: 'robot name recorded in info.json' })
      .option('max-episodes', { type: 'number', describe: 'stop after this many episodes' })
      .option('image-key', { type: 'string', describe: 'rlds: image feature(s), comma-separated (default: first non-blank)' })
      .option('split', { type: 'string', describe: 'rlds: splits to import, comma-separated (default: all)' })
      .option('image-topic', { type: 'string', describe: 'rosbag: image topic (default: the only image topic)' })
      .option('action-topic', { type: 'string', describe: 'rosbag: action topic (Twist, JointState, Float64MultiArray)' })
      .option('episode-length', { type: 'number', describe: 'video: cut each video into episodes of this many frames' })
      .option('camera', { type: 'string', describe: 'camera name for rosbag/video/images (default main)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const r = await runImport(a);
    if (!a.quiet) process.stderr.write('\n');
    const ds = Dataset.open(a.out);
    process.stdout.write(`imported ${r.info.num_episodes} episodes, ${r.info.num_steps} steps in ${r.seconds.toFixed(2)} s -> ${a.out}\n\n`);
    process.stdout.write(formatSummary(summarize(ds)));
    await ds.close();
  },
};
