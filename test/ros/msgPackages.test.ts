import { describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { definitionToMsgText, ensureMsgPackages } from '../../src/ros/msgPackages.ts';
import { PY, rosSkipReason } from './rosHarness.ts';

const TYPES = [
  'sensor_msgs/Image',
  'sensor_msgs/CompressedImage',
  'sensor_msgs/JointState',
  'geometry_msgs/Twist',
  'std_msgs/Float64MultiArray',
  'trajectory_msgs/JointTrajectory',
  'std_msgs/Bool',
  'std_msgs/String',
  'std_msgs/Float64',
];

/** md5sums computed by ROS's own genmsg over a package folder. */
function genmsgMd5(root: string): Record<string, string> {
  const script = `
import os, sys, genmsg, genmsg.msg_loader as ml, genmsg.gentools as gt
root = sys.argv[1]
search = {p: [os.path.join(root, p, 'msg')] for p in os.listdir(root) if os.path.isdir(os.path.join(root, p, 'msg'))}
for t in sys.argv[2:]:
    ctx = genmsg.MsgContext.create_default()
    spec = ml.load_msg_by_type(ctx, t, search)
    ml.load_depends(ctx, spec, search)
    print(t, gt.compute_md5(ctx, spec))
`;
  const r = spawnSync(PY, ['-c', script, root, ...TYPES], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]));
}

describe('msg packages', () => {
  it('renders constants, fixed and variable arrays as .msg lines', () => {
    const text = definitionToMsgText({
      definitions: [
        { type: 'uint8', name: 'OK', isConstant: true, value: 0, valueText: '0' },
        { type: 'float64', name: 'covariance', isArray: true, arrayLength: 36 },
        { type: 'string', name: 'names', isArray: true },
        { type: 'std_msgs/Header', name: 'header' },
      ],
    });
    expect(text).toBe('uint8 OK=0\nfloat64[36] covariance\nstring[] names\nstd_msgs/Header header\n');
  });

  it('generates real (not symlinked) package folders with package.xml from @foxglove/rosmsg-msgs-common', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lara-msgs-'));
    try {
      const r = await ensureMsgPackages({ source: 'generated', cacheRoot: root });
      expect(r.source).toBe('generated');
      expect(r.packages).toEqual(expect.arrayContaining(['std_msgs', 'sensor_msgs', 'geometry_msgs', 'trajectory_msgs']));
      const img = join(r.dir, 'sensor_msgs', 'msg', 'Image.msg');
      expect(readFileSync(img, 'utf8')).toContain('uint8[] data');
      expect(lstatSync(join(r.dir, 'sensor_msgs', 'msg')).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(r.dir, 'sensor_msgs', 'package.xml'), 'utf8')).toContain('<name>sensor_msgs</name>');
      const again = await ensureMsgPackages({ source: 'generated', cacheRoot: root });
      expect(again.dir).toBe(r.dir); // cached
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const skip = rosSkipReason() ?? (existsSync('/usr/share/std_msgs/msg') ? undefined : 'no Debian msg files under /usr/share');
  it.skipIf(skip)(`generated definitions have the same md5sums as the installed ROS ones (genmsg)${skip ? ` [skipped: ${skip}]` : ''}`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'lara-msgs-'));
    try {
      const gen = await ensureMsgPackages({ source: 'generated', cacheRoot: root });
      const sys = await ensureMsgPackages({ source: 'system', cacheRoot: root });
      expect(sys.source).toBe('system');
      expect(lstatSync(join(sys.dir, 'std_msgs', 'msg')).isSymbolicLink()).toBe(false);
      const a = genmsgMd5(gen.dir);
      const b = genmsgMd5(sys.dir);
      expect(a['sensor_msgs/Image']).toBe('060021388200f6f0f447d0fcd9c64743');
      expect(a).toEqual(b);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
