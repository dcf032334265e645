import { describe, expect, it } from 'vitest';
import { Camera } from '../../src/sim/camera.ts';
import { Raster } from '../../src/sim/raster.ts';
import { TabletopEnv } from '../../src/sim/tabletop.ts';
import { layout, repeat, act } from './helpers.ts';

const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + (v !== b[i] ? 1 : 0), 0);

describe('raster', () => {
  it('covers exactly the polygon area and anti-aliases edges', () => {
    const r = new Raster(8, 8, 4);
    r.clear([0, 0, 0]);
    r.fillPolygon([2, 2, 6, 2, 6, 6, 2, 6], [255, 255, 255]);
    const img = r.toUint8();
    let sum = 0;
    for (let i = 0; i < img.length; i += 3) sum += img[i]!;
    expect(sum / 255).toBeCloseTo(16, 6);
    r.clear([0, 0, 0]);
    r.fillPolygon([2.5, 0, 8, 0, 8, 8, 2.5, 8], [200, 200, 200]); // edge through pixel column 2
    const e = r.toUint8();
    expect(e[(0 * 8 + 2) * 3]).toBe(100);
    expect(e[(0 * 8 + 1) * 3]).toBe(0);
    expect(e[(0 * 8 + 3) * 3]).toBe(200);
    r.clear([0, 0, 0]);
    r.fillCircle(4, 4, 3, [255, 0, 0]);
    let area = 0;
    const c = r.toUint8();
    for (let i = 0; i < c.length; i += 3) area += c[i]! / 255;
    expect(area).toBeGreaterThan(Math.PI * 9 * 0.95);
    expect(area).toBeLessThan(Math.PI * 9 * 1.05);
  });
});

describe('tabletop rendering', () => {
  it('renders H*W*3 bytes at any size', () => {
    for (const [w, h] of [[64, 64], [32, 48], [96, 72]] as const) {
      const env = new TabletopEnv({ width: w, height: h });
      const obs = env.reset(2);
      expect(obs.image).toBeInstanceOf(Uint8Array);
      expect(obs.image.length).toBe(w * h * 3);
      expect(obs.state.length).toBe(env.spec.stateNames.length);
    }
  });

  it('shows every block colour and smooth (anti-aliased) edges', () => {
    const env = new TabletopEnv();
    const img = env.reset(4, 'reach the red block').image;
    const colors = new Set<string>();
    for (let i = 0; i < img.length; i += 3) colors.add(`${img[i]},${img[i + 1]},${img[i + 2]}`);
    expect(colors.size).toBeGreaterThan(60); // edges blend, not a handful of flat colours
    for (const b of env.scene.blocks) {
      const target = { red: [214, 48, 49], green: [40, 170, 72], blue: [46, 92, 222], yellow: [238, 196, 28] }[b.color];
      expect(colors.has(target.join(','))).toBe(true);
    }
  });

  it('open and closed gripper frames differ, and so do low and lifted', () => {
    const open = layout('reach the red block', { block: [0.15, 0.15], grip: [0, 0, 0.08] });
    const a = open.render();
    open.scene.gripper.closedness = 1;
    const b = open.render();
    expect(diff(a, b)).toBeGreaterThan(10);
    open.scene.gripper.closedness = 0;
    expect(diff(a, open.render())).toBe(0);
    open.scene.gripper.z = 0.15;
    expect(diff(a, open.render())).toBeGreaterThan(10);
  });

  it('a lifted block looks bigger than a resting one (perspective)', () => {
    const env = layout('pick up the red block and place it in the green zone', { block: [0, 0], grip: [0, 0, 0.1] });
    const countRed = (img: Uint8Array) => {
      let n = 0;
      for (let i = 0; i < img.length; i += 3) if (img[i]! > 180 && img[i + 1]! < 90 && img[i + 2]! < 90) n++;
      return n;
    };
    env.scene.gripper.x = 0.2; // out of the way
    const low = countRed(env.render());
    env.scene.gripper.x = 0;
    repeat(env, act(0, 0, -1), 7);
    repeat(env, act(0, 0, 0, 1), 1);
    repeat(env, act(0, 0, 1, 1), 8);
    const b = env.scene.blocks.find((x) => x.color === 'red')!;
    expect(b.z).toBeGreaterThan(0.08);
    const high = env.render();
    expect(countRed(high)).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(10);
    // projected top-face size grows with height
    const c = new Camera(env.config);
    const w0 = c.project(0.025, 0, 0.04)[0] - c.project(-0.025, 0, 0.04)[0];
    const w1 = c.project(0.025, 0, 0.04 + b.z)[0] - c.project(-0.025, 0, 0.04 + b.z)[0];
    expect(w1).toBeGreaterThan(w0 * 1.08);
  });
});

describe('gantry (config gantry)', () => {
  it('rails and column move exactly with the gripper: the same command changes the same pixels anywhere', async () => {
    const { gantryBoxes } = await import('../../src/sim/render.ts');
    const env = layout('reach the red block', { block: [0.2, -0.2], grip: [0, 0, 0.08] }, { gantry: true });
    const [column, bridge, rail] = gantryBoxes(env.scene, env.config);
    expect([column!.x, column!.y, bridge!.y, rail!.x]).toEqual([0, 0, 0, 0]);
    env.scene.gripper.x = -0.1;
    env.scene.gripper.y = 0.05;
    const [c2, b2, r2] = gantryBoxes(env.scene, env.config);
    expect([c2!.x, c2!.y, b2!.y, r2!.x]).toEqual([-0.1, 0.05, 0.05, -0.1]);
    expect(b2!.x).toBe(0); // the bridge spans the table along x
    expect(r2!.y).toBe(0); // the rail spans it along y
  });

  it('is visual only, and a step changes over twice as many pixels with it as without', () => {
    const run = (gantry: boolean) => {
      const env = layout('reach the red block', { block: [0.15, -0.15], grip: [0, 0, 0.08] }, { gantry });
      const a = env.render();
      env.step(act(1, 0.5, 0));
      return { before: a, after: env.render(), state: Array.from(env.state()) };
    };
    const plain = run(false);
    const body = run(true);
    expect(body.state).toEqual(plain.state);
    expect(diff(body.before, plain.before)).toBeGreaterThan(100);
    expect(diff(body.after, body.before)).toBeGreaterThan(2 * diff(plain.after, plain.before));
  });

  it('without rails (gantryRails false) draws only the column and its carriage, moving with the gripper', async () => {
    const { gantryBoxes } = await import('../../src/sim/render.ts');
    const run = (opts: Record<string, boolean>) => {
      const env = layout('reach the red block', { block: [0.15, -0.15], grip: [0, 0, 0.08] }, opts);
      const a = env.render();
      env.step(act(1, 0.5, 0));
      return { env, change: diff(env.render(), a) };
    };
    const plain = run({ gantry: false });
    const rails = run({ gantry: true });
    const carriage = run({ gantry: true, gantryRails: false });
    const boxes = gantryBoxes(carriage.env.scene, carriage.env.config);
    expect(boxes).toHaveLength(2);
    const g = carriage.env.scene.gripper;
    for (const b of boxes) expect([b.x, b.y]).toEqual([g.x, g.y]);
    // more of the frame moves than with the gripper alone, less than with rails spanning the table
    expect(carriage.change).toBeGreaterThan(1.3 * plain.change); // 774 against 483 bytes
    expect(carriage.change).toBeLessThan(rails.change);
  });

  it('with gantryTurns the column and a carriage bar turn with the gripper, so a pure turn shows', async () => {
    const { gantryBoxes } = await import('../../src/sim/render.ts');
    const turn = (opts: Record<string, boolean>) => {
      const env = layout('reach the red block', { block: [0.15, -0.15], grip: [0, 0, 0.08] }, { gantry: true, gantryRails: false, ...opts });
      const a = env.render();
      env.step(act(0, 0, 0, 0, 1)); // yaw only
      return { env, change: diff(env.render(), a) };
    };
    const fixed = turn({});
    const turns = turn({ gantryTurns: true });
    const g = turns.env.scene.gripper;
    expect(g.yaw).not.toBe(0);
    expect(gantryBoxes(turns.env.scene, turns.env.config).map((b) => b.yaw)).toEqual([g.yaw, g.yaw]);
    expect(gantryBoxes(fixed.env.scene, fixed.env.config).map((b) => b.yaw)).toEqual([0, 0]);
    expect(turns.change).toBeGreaterThan(1.6 * fixed.change); // 743 against 376 bytes
  });
});

describe('gif', () => {
  it('upscales frames and encodes a GIF', async () => {
    const { upscale, framesToGif } = await import('../../src/data/gif.ts');
    const f = Uint8Array.from([1, 2, 3, 4, 5, 6]); // 2x1
    expect(Array.from(upscale(f, 2, 1, 2))).toEqual([1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
    const env = new TabletopEnv({ width: 16, height: 16 });
    const gif = framesToGif([env.reset(1).image, env.step(new Float32Array(8)).obs.image], 16, 16, 10, 2);
    expect(Buffer.from(gif.subarray(0, 6)).toString('latin1')).toBe('GIF89a');
    expect(gif[6]! | (gif[7]! << 8)).toBe(32); // logical screen width
  });
});

describe('camera', () => {
  it('is oriented like rpyToMatrix(pi + tilt, 0, 0) and projects the table centre to the image centre', async () => {
    const { rpyToMatrix } = await import('../../src/robot/geometry.ts');
    const { tabletopConfig } = await import('../../src/sim/config.ts');
    for (const tilt of [0, 0.3, -0.5]) {
      const cam = new Camera(tabletopConfig({ cameraTilt: tilt }));
      const R = rpyToMatrix(Math.PI + tilt, 0, 0);
      for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) expect(cam.axes[c * 3 + r]).toBeCloseTo(R[r]![c]!, 12);
      const [u, v] = cam.project(0, 0, 0);
      expect(u).toBeCloseTo(32, 9);
      expect(v).toBeCloseTo(32, 9);
    }
    const top = new Camera(tabletopConfig());
    expect(top.project(0, 0.1, 0)[1]).toBeLessThan(32); // +y is up in the image
    expect(top.project(0.1, 0, 0)[0]).toBeGreaterThan(32); // +x is right
  });
});
