/**
 * ROS message packages for rosnodejs' on-the-fly message loading.
 *
 * rosnodejs finds message definitions by walking ROS_PACKAGE_PATH for folders that hold a
 * package.xml and a msg/ folder. Debian's ROS packages install msg files under
 * /usr/share/<pkg>/msg but no package.xml (that comes with the -dev packages), and rosnodejs'
 * walker skips symlinked folders. So we build a folder of packages, each with a minimal
 * package.xml and a *copied* msg/ folder:
 *   - from a ROS install when one has msg files (source "system"), or
 *   - generated from @foxglove/rosmsg-msgs-common's ros1 definitions (source "generated").
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { buildDirAtomic } from '../util/atomic.ts';

/** Packages lara needs; a ROS install is used only when it has all of them. */
export const NEEDED_PACKAGES = ['std_msgs', 'geometry_msgs', 'sensor_msgs', 'trajectory_msgs'];
/** Copied too when present: what rosnodejs' own logging setup uses (/rosout, logger services). */
export const OPTIONAL_PACKAGES = ['rosgraph_msgs', 'roscpp', 'std_srvs'];

export type MsgSource = 'system' | 'generated';

export interface MsgPackagesResult {
  /** Folder to put on ROS_PACKAGE_PATH. */
  dir: string;
  source: MsgSource;
  packages: string[];
  /** True when rosgraph_msgs and roscpp are present, so rosnodejs can set up ROS logging. */
  rosLogging: boolean;
}

/** One field or constant of a parsed definition (shape of @foxglove/rosmsg's MessageDefinitionField). */
interface DefField {
  type: string;
  name: string;
  isArray?: boolean;
  arrayLength?: number;
  isConstant?: boolean;
  valueText?: string;
  value?: unknown;
}
interface MsgDef {
  name?: string;
  definitions: DefField[];
}

/** Folders searched for system msg packages (Debian layout first). */
export function systemShareDirs(): string[] {
  const dirs = ['/usr/share'];
  const distro = process.env.ROS_DISTRO;
  if (distro) dirs.push(`/opt/ros/${distro}/share`);
  for (const d of ['noetic', 'melodic']) dirs.push(`/opt/ros/${d}/share`);
  return dirs.filter((d) => existsSync(d));
}

/** Packages present under a share dir with a msg/ or srv/ folder: package -> its folder. */
function findSystemPackages(shareDirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const share of shareDirs) {
    for (const pkg of [...NEEDED_PACKAGES, ...OPTIONAL_PACKAGES]) {
      const dir = join(share, pkg);
      if (!found.has(pkg) && (isDir(join(dir, 'msg')) || isDir(join(dir, 'srv')))) found.set(pkg, dir);
    }
  }
  return found;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function packageXml(pkg: string): string {
  return `<?xml version="1.0"?>\n<package format="2">\n  <name>${pkg}</name>\n  <version>0.0.0</version>\n  <description>msg definitions for lara (${pkg})</description>\n  <maintainer email="lara@localhost">lara</maintainer>\n  <license>BSD</license>\n</package>\n`;
}

/** Render one parsed definition as .msg text (fields and constants, in order). */
export function definitionToMsgText(def: MsgDef): string {
  const lines: string[] = [];
  for (const f of def.definitions) {
    if (f.isConstant) {
      lines.push(`${f.type} ${f.name}=${f.valueText ?? String(f.value)}`);
    } else {
      const arr = f.isArray ? `[${f.arrayLength ?? ''}]` : '';
      lines.push(`${f.type}${arr} ${f.name}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Generated msg files, package -> (MsgName -> text), from @foxglove/rosmsg-msgs-common. */
export function generatedMsgFiles(): Map<string, Map<string, string>> {
  const require = createRequire(import.meta.url);
  const { ros1 } = require('@foxglove/rosmsg-msgs-common') as { ros1: Record<string, MsgDef> };
  const out = new Map<string, Map<string, string>>();
  for (const [full, def] of Object.entries(ros1)) {
    const [pkg, name] = full.split('/');
    if (!pkg || !name) continue;
    if (!out.has(pkg)) out.set(pkg, new Map());
    out.get(pkg)!.set(name, definitionToMsgText(def));
  }
  return out;
}

function defaultCacheRoot(): string {
  const home = homedir();
  if (home && existsSync(home)) return join(home, '.cache', 'lara', 'ros_msgs');
  return join(tmpdir(), 'lara-ros-msgs');
}

/**
 * Build (or reuse) the package folder. `source: 'auto'` uses system msg files when every needed
 * package is found, else generates all of them. The folder name hashes its inputs, so a changed
 * install gives a new folder; building is atomic (temp dir + rename).
 */
export async function ensureMsgPackages(opts: { source?: MsgSource | 'auto'; cacheRoot?: string; shareDirs?: string[] } = {}): Promise<MsgPackagesResult> {
  const cacheRoot = opts.cacheRoot ?? defaultCacheRoot();
  const system = findSystemPackages(opts.shareDirs ?? systemShareDirs());
  const hasAll = NEEDED_PACKAGES.every((p) => system.has(p));
  const wantSystem = opts.source === 'system' || (opts.source !== 'generated' && hasAll);
  if (wantSystem) {
    const h = createHash('sha1');
    const files: Array<[string, string, string]> = []; // [package, "msg/X.msg", source path]
    for (const [pkg, pkgDir] of [...system.entries()].sort()) {
      for (const kind of ['msg', 'srv']) {
        if (!isDir(join(pkgDir, kind))) continue;
        for (const f of readdirSync(join(pkgDir, kind)).sort()) {
          if (!f.endsWith(`.${kind}`)) continue;
          const p = join(pkgDir, kind, f);
          const st = statSync(p);
          h.update(`${pkg}/${kind}/${f}:${st.size}:${st.mtimeMs}\n`);
          files.push([pkg, `${kind}/${f}`, p]);
        }
      }
    }
    const dir = join(cacheRoot, `system-${h.digest('hex').slice(0, 12)}`);
    if (!existsSync(dir)) {
      await buildOnce(dir, (tmp) => {
        for (const pkg of system.keys()) {
          mkdirSync(join(tmp, pkg), { recursive: true });
          writeFileSync(join(tmp, pkg, 'package.xml'), packageXml(pkg));
        }
        for (const [pkg, rel, p] of files) {
          mkdirSync(join(tmp, pkg, rel.split('/')[0]!), { recursive: true });
          copyFileSync(p, join(tmp, pkg, rel));
        }
      });
    }
    return { dir, source: 'system', packages: [...system.keys()].sort(), rosLogging: system.has('roscpp') && system.has('rosgraph_msgs') };
  }
  const gen = generatedMsgFiles();
  const h = createHash('sha1');
  for (const [pkg, msgs] of [...gen.entries()].sort()) for (const [n, t] of [...msgs.entries()].sort()) h.update(`${pkg}/${n}\n${t}`);
  const dir = join(cacheRoot, `generated-${h.digest('hex').slice(0, 12)}`);
  if (!existsSync(dir)) {
    await buildOnce(dir, (tmp) => {
      for (const [pkg, msgs] of gen) {
        mkdirSync(join(tmp, pkg, 'msg'), { recursive: true });
        writeFileSync(join(tmp, pkg, 'package.xml'), packageXml(pkg));
        for (const [n, t] of msgs) writeFileSync(join(tmp, pkg, 'msg', `${n}.msg`), t);
      }
    });
  }
  return { dir, source: 'generated', packages: [...gen.keys()].sort(), rosLogging: false };
}

/** Atomic build that tolerates another process finishing the same folder first. */
async function buildOnce(dir: string, fill: (tmp: string) => void): Promise<void> {
  try {
    await buildDirAtomic(dir, fill);
  } catch (e) {
    if (!existsSync(dir)) throw e;
  }
}
