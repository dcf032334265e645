/**
 * Child-process entry for lara's embedded ROS master (used when no master answers and no ROS is
 * installed): @foxglove/ros1's Node implementation of the master, on the host/port given.
 *   node bin/run-ts.mjs src/ros/embeddedMasterMain.ts HOST PORT
 * Prints "READY <uri>" once listening; exits on SIGINT/SIGTERM.
 *
 * The package's `roscore` bin always binds port 11311 and its RosMaster class is not in the
 * exports map, so the class is loaded by file path from the installed package folder.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface RosMasterLike {
  start(hostname: string, port?: number): Promise<void>;
  close(): void;
  url(): string | undefined;
}

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('@foxglove/ros1'));
const { RosMaster } = require(join(distDir, 'RosMaster.js')) as { RosMaster: new (server: unknown) => RosMasterLike };
const { HttpServerNodejs } = require('@foxglove/xmlrpc/nodejs') as { HttpServerNodejs: new () => unknown };

const host = process.argv[2] ?? '127.0.0.1';
const port = Number(process.argv[3] ?? '11311');
const master = new RosMaster(new HttpServerNodejs());
try {
  await master.start(host, port);
} catch (e) {
  process.stderr.write(`embedded master: cannot listen on ${host}:${port}: ${(e as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`READY ${master.url() ?? `http://${host}:${port}/`}\n`);
const stop = () => {
  master.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
