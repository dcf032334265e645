/**
 * `lara dataset info DIR`: the info.json facts as a table plus episode-length summary (`--json` for
 * machine-readable output). Given a .bag file instead, lists its topics, types and counts.
 */
import type { Argv, CommandModule } from 'yargs';
import { statSync, existsSync } from 'node:fs';
import { Dataset } from '../data/Dataset.ts';
import { formatSummary, summarize } from '../data/summary.ts';
import { openBag } from '../data/bag/openBag.ts';

interface Args {
  dir: string;
  json?: boolean;
}

export const datasetInfoCommand: CommandModule<object, Args> = {
  command: 'info <dir>',
  describe: 'Show a dataset\'s format, cameras, action statistics and episode lengths (or a bag\'s topics)',
  builder: (y: Argv) =>
    y.positional('dir', { type: 'string', demandOption: true, describe: 'dataset folder (or a ROS 1 .bag file)' }).option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as unknown as Argv<Args>,
  handler: async (a) => {
    if (existsSync(a.dir) && statSync(a.dir).isFile() && a.dir.endsWith('.bag')) {
      const b = await openBag(a.dir);
      try {
        if (a.json) process.stdout.write(JSON.stringify({ file: a.dir, topics: b.topics }, null, 2) + '\n');
        else {
          const w = Math.max(5, ...b.topics.map((t) => t.topic.length));
          const tw = Math.max(4, ...b.topics.map((t) => t.type.length));
          process.stdout.write(`bag ${a.dir}\n${'topic'.padEnd(w)}  ${'type'.padEnd(tw)}  msgs\n`);
          for (const t of b.topics) process.stdout.write(`${t.topic.padEnd(w)}  ${t.type.padEnd(tw)}  ${t.count}\n`);
        }
      } finally {
        await b.close();
      }
      return;
    }
    const ds = Dataset.open(a.dir);
    const s = summarize(ds);
    if (a.json) process.stdout.write(JSON.stringify({ ...s, episode_lengths: ds.index.episodes.map((e) => e.length) }, null, 2) + '\n');
    else process.stdout.write(formatSummary(s));
    await ds.close();
  },
};
