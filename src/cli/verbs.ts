/**
 * The index of CLI verbs. Each verb lives in its own file and is imported only when it is the
 * verb being run, so `lara --help` and light verbs start without loading tfjs, ROS or ZeroMQ.
 * Keep sorted by name; `usage` and `describe` must match the module's own (a test checks).
 */
import type { CommandModule } from 'yargs';

export interface VerbEntry {
  /** The verb as typed: `lara <name>`. */
  name: string;
  /** yargs command string of the module, e.g. 'train <component>'. */
  usage: string;
  describe: string;
  load: () => Promise<CommandModule<object, any>>;
}

export const verbIndex: VerbEntry[] = [
  { name: 'agent', usage: 'agent <sub>', describe: 'Create and inspect latent-to-real agent bundles', load: async () => (await import('./agent.ts')).agentCommand },
  { name: 'config', usage: 'config <command>', describe: 'Show resolved configs and list presets', load: async () => (await import('./config.ts')).configCommand },
  { name: 'dataset', usage: 'dataset <sub>', describe: 'Generate, inspect, view, split and import episode datasets', load: async () => (await import('./dataset.ts')).datasetCommand },
  { name: 'demo', usage: 'demo', describe: 'Guided first run: machine check, train a toy ST-transformer, show the loss curve, watch a shipped agent act', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'doctor', usage: 'doctor', describe: 'Report the compute backend, native accelerator, Node/npm, ROS 1, ffmpeg and GPU on this machine', load: async () => (await import('./doctor.ts')).doctorCommand },
  { name: 'drive', usage: 'drive', describe: 'drive a robot over ROS 1 with an agent (clamped, rate-limited, watchdog, e-stop)', load: async () => (await import('./drive.ts')).driveCommand },
  { name: 'eval', usage: 'eval <what>', describe: 'Evaluate trained models (world-model, lam-ablation, ...)', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'fit-mapping', usage: 'fit-mapping', describe: 'Fit the latent-action -> native-DoF mapping from N labelled transitions', load: async () => (await import('./fit-mapping.ts')).fitMappingCommand },
  { name: 'label', usage: 'label <src>', describe: 'Label a dataset (or a video / ROS bag) with latent action codes from a frozen LAM', load: async () => (await import('./label.ts')).labelCommand },
  { name: 'model', usage: 'model <sub>', describe: 'Inspect model configs (size, FLOPs, memory)', load: async () => (await import('./model-info.ts')).modelCommand },
  { name: 'record', usage: 'record', describe: "record a robot's camera, commands and state from ROS 1 into a lara dataset", load: async () => (await import('./record.ts')).recordCommand },
  { name: 'serve', usage: 'serve', describe: "serve an agent's actions over ZeroMQ (clamped, rate-limited, e-stop, deadline)", load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'sim', usage: 'sim', describe: 'run the tabletop simulator as a ROS 1 robot (--ros)', load: async () => (await import('./sim.ts')).simCommand },
  { name: 'train', usage: 'train <component>', describe: 'Train a model (tokenizer, lam, dynamics, world-model, ...) on a lara dataset', load: async () => (await import('./train.ts')).trainCommand },
];
