#!/usr/bin/env node
// Builds lara's optional native accelerator (native/build/Release/lara_native.node) with
// node-gyp against the system's OpenBLAS. Run by npm's "install" script and by
// `npm run build:native`. It never fails the install: without a compiler, Node's headers or
// OpenBLAS it prints one line saying the native path is off and exits 0.
//   LARA_NATIVE=off          skip the build
//   LARA_NATIVE_MARCH=<arch> compile for -march=<arch> instead of the building machine (native)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const buildDir = join(nativeDir, 'build');
const addon = join(buildDir, 'Release', 'lara_native.node');
const logFile = join(buildDir, 'build.log');

function off(why) {
  console.log(`lara: native accelerator off (${why}); the wasm backend's own kernels will be used`);
  process.exit(0);
}

function log(text) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(logFile, text);
}

const flag = (process.env.LARA_NATIVE ?? '').trim().toLowerCase();
if (flag === 'off' || flag === '0' || flag === 'false') off('LARA_NATIVE=off');

/** node-gyp's CLI script: npm's own copy first, then a local one. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) {
    candidates.push(resolve(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const req = createRequire(import.meta.url);
  const roots = [nativeDir, resolve(process.execPath, '..', '..', 'lib', 'node_modules', 'npm'),
    '/usr/lib/node_modules/npm', '/usr/local/lib/node_modules/npm', '/usr/share/nodejs/npm'];
  for (const root of roots) {
    try {
      candidates.push(req.resolve('node-gyp/bin/node-gyp.js', { paths: [root] }));
    } catch {
      // not there
    }
  }
  return candidates.find((c) => existsSync(c));
}

/** Folder whose include/node holds node_api.h, so node-gyp needs no header download. */
function findNodeDir() {
  const dirs = [resolve(process.execPath, '..', '..'), '/usr', '/usr/local'];
  return dirs.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi')));
}

const cxx = process.env.CXX || 'c++';
const probe = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) off(`no C++ compiler (${cxx})`);

// Does OpenBLAS link? A five-line program tells, with a clearer message than node-gyp's.
mkdirSync(buildDir, { recursive: true });
const probeSrc = join(buildDir, 'probe.cc');
writeFileSync(probeSrc, 'extern "C" int openblas_get_num_threads(void);\nint main() { return openblas_get_num_threads() > 0 ? 0 : 1; }\n');
const blas = spawnSync(cxx, [probeSrc, '-o', join(buildDir, 'probe'), '-lopenblas'], { encoding: 'utf8' });
if (blas.error || blas.status !== 0) off('OpenBLAS not found: apt-get install libopenblas-dev');

const gyp = findNodeGyp();
if (!gyp) off('node-gyp not found');
const nodedir = findNodeDir();
if (!nodedir) off("Node's headers (include/node/node_api.h) not found");

const args = [gyp, 'rebuild', `--nodedir=${nodedir}`, '--directory', nativeDir];
if (process.env.LARA_NATIVE_MARCH) args.push('--', `-Dlara_march=${process.env.LARA_NATIVE_MARCH}`);
rmSync(addon, { force: true });
const build = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: nativeDir });
log(`${build.stdout ?? ''}\n${build.stderr ?? ''}`);
if (build.error || build.status !== 0 || !existsSync(addon)) {
  const lines = `${build.stderr ?? ''}`.split('\n').filter((l) => /error/i.test(l) && !/gyp ERR! (stack|cwd|node -v|node-gyp -v|System|command)/.test(l));
  off(`build failed: ${lines[0]?.trim() ?? 'see native/build/build.log'}`);
}

// Load it in a fresh process and multiply two small matrices, so a broken link shows now.
const smoke = spawnSync(process.execPath, ['-e', `
  const a = require(${JSON.stringify(addon)});
  const h = new Float32Array([1, 2, 3, 4, 5, 6, 0, 0]);
  a.gemm(h, 0, 2, 6, 1, 1, 2, 2, 0, 0, 0, 0);
  if (h[6] !== 13 || h[7] !== 16) throw new Error('wrong product ' + h[6] + ',' + h[7]);
`], { encoding: 'utf8' });
if (smoke.status !== 0) {
  rmSync(addon, { force: true });
  off(`built but does not load: ${(smoke.stderr ?? '').split('\n').find((l) => l.trim()) ?? 'unknown error'}`);
}
console.log(`lara: native accelerator built (${addon})`);
