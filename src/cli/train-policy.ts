/**
 * `lara train policy --data DIR`: train the latent policy (head latent, on LAM codes) or a BC
 * baseline (--set head=regress; --labelled N trains on the same N labelled transitions that
 * `lara fit-mapping --labelled N` uses). Writes <out>/policy/{policy.json,model.safetensors}.
 */
import type { Argv, CommandModule } from 'yargs';
import { PolicySchema } from '../policy/config.ts';
import { trainPolicyOnDataset } from '../policy/from-dataset.ts';
import { setBackend } from '../world/run.ts';
import { resolveRunConfig } from './options.ts';
import { log, withTrainOptions, type TrainArgs } from './train-tokenizer.ts';

interface PolicyArgs extends TrainArgs {
  labelled?: number;
  'labelled-seed': number;
  init?: string;
}

export const trainPolicyCommand: CommandModule<object, PolicyArgs> = {
  command: 'policy',
  describe: 'Train the latent policy (cross-entropy over LAM codes) or a BC baseline on native actions',
  builder: (y: Argv) =>
    withTrainOptions(y, 'policy')
      .option('labelled', { type: 'number', describe: 'BC only: train on N labelled transitions (shorthand for --set labelled=N)' })
      .option('labelled-seed', { type: 'number', default: 0, describe: 'seed of the labelled subset (use the same for fit-mapping)' })
      .option('init', { type: 'string', describe: "start from this policy's encoder and hidden layer (e.g. a latent policy: BC fine-tuned from latent-action pretraining); the output layer starts fresh" }) as unknown as Argv<PolicyArgs>,
  handler: async (a) => {
    await setBackend(a.backend, log);
    const cfg = resolveRunConfig(PolicySchema, 'policy', { ...a, set: [...(a.set ?? []), ...(a.labelled !== undefined ? [`labelled=${a.labelled}`] : [])] });
    if (cfg.labelled > 0 && cfg.head !== 'regress') log('note: labelled applies to BC (head=regress) only; the latent policy trains on every labelled transition');
    const r = await trainPolicyOnDataset({ data: a.data, cfg, out: a.out, resume: a.resume, overwrite: a.overwrite, labelledSeed: a['labelled-seed'], ...(a.init !== undefined ? { init: a.init } : {}), log });
    const last = r.result.history.at(-1);
    process.stdout.write(`policy (${cfg.head}): step ${r.result.step} in ${r.result.seconds.toFixed(1)} s${last ? `, loss ${last.loss.toPrecision(4)}` : ''}; written to ${r.dir}\n`);
  },
};
