/**
 * The process environment rosnodejs needs, and loading rosnodejs after it is set.
 *
 * rosnodejs throws at load unless CMAKE_PREFIX_PATH is set, and its on-the-fly message loading
 * walks ROS_PACKAGE_PATH. A static ESM import is hoisted above any code, so rosnodejs is only
 * ever loaded here, by a dynamic import after process.env is prepared.
 */
import { delimiter } from 'node:path';
import { ensureMsgPackages, type MsgPackagesResult, type MsgSource } from './msgPackages.ts';

/** The rosnodejs module object (its .d.ts declares a default export the JS does not have). */
export type Rosnodejs = (typeof import('rosnodejs'))['default'];

export interface RosEnv {
  msgs: MsgPackagesResult;
  masterUri: string;
}

let prepared: Promise<MsgPackagesResult> | undefined;

/** Default master URI: ROS_MASTER_URI or http://127.0.0.1:11311. */
export function masterUriFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROS_MASTER_URI && env.ROS_MASTER_URI.trim() !== '' ? env.ROS_MASTER_URI.trim() : 'http://127.0.0.1:11311';
}

/**
 * Set CMAKE_PREFIX_PATH (any value works) and put lara's msg package folder first on
 * ROS_PACKAGE_PATH. Idempotent per process.
 */
export function prepareRosEnv(opts: { source?: MsgSource | 'auto' } = {}): Promise<MsgPackagesResult> {
  if (!prepared) {
    prepared = (async () => {
      const msgs = await ensureMsgPackages({ source: opts.source ?? ((process.env.LARA_ROS_MSGS as MsgSource | undefined) ?? 'auto') });
      if (!process.env.CMAKE_PREFIX_PATH) process.env.CMAKE_PREFIX_PATH = '/usr';
      const rest = (process.env.ROS_PACKAGE_PATH ?? '').split(delimiter).filter((p) => p && p !== msgs.dir);
      process.env.ROS_PACKAGE_PATH = [msgs.dir, ...rest].join(delimiter);
      if (!process.env.ROS_IP && !process.env.ROS_HOSTNAME) process.env.ROS_IP = '127.0.0.1';
      return msgs;
    })();
  }
  return prepared;
}

let loaded: Promise<Rosnodejs> | undefined;

/** Prepare the environment, then load rosnodejs (once per process). */
export function loadRosnodejs(): Promise<Rosnodejs> {
  if (!loaded) {
    loaded = (async () => {
      await prepareRosEnv();
      const mod = (await import('rosnodejs')) as unknown as { default?: Rosnodejs } & Rosnodejs;
      return (mod.default ?? mod) as Rosnodejs;
    })();
  }
  return loaded;
}
