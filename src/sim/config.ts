/**
 * Typed configuration of the tabletop simulator (defaults + a doc line per field). Lengths are in
 * metres, angles in radians; the table spans [-tableHalf, tableHalf]^2 around the origin.
 */
import { bool, int, num, section, resolveConfig, type ConfigOf } from '../config/schema.ts';

export const TabletopSchema = section({
  width: int(64, 'rendered image width in pixels', { min: 8, max: 1024 }),
  height: int(64, 'rendered image height in pixels', { min: 8, max: 1024 }),
  blocks: int(3, 'number of blocks on the table (distinct colours)', { min: 1, max: 4 }),
  zones: int(2, 'number of target zones (distinct colours)', { min: 1, max: 4 }),
  maxSteps: int(100, 'episode step limit (actions)', { min: 1 }),
  rateHz: num(10, 'control rate: actions per simulated second', { min: 0.1 }),
  substeps: int(10, 'physics sub-steps per action', { min: 1, max: 100 }),
  tableHalf: num(0.25, 'half-size of the square table (m)', { min: 0.05 }),
  blockSize: num(0.05, 'block side length (m)', { min: 0.01 }),
  blockHeight: num(0.04, 'block height (m)', { min: 0.005 }),
  zoneRadius: num(0.06, 'target zone radius (m)', { min: 0.01 }),
  maxMove: num(0.015, 'gripper travel per step at |world_vector| = 1 (m)', { min: 0.001 }),
  yawScale: num(0.25, 'yaw change per step = rotation_delta.yaw * yawScale (rad)', { min: 0 }),
  gripperRate: num(0.5, 'closedness change per step at |gripper| = 1 (closedness in [0, 1])', { min: 0.01, max: 1 }),
  maxHeight: num(0.15, 'highest gripper position above the table (m)', { min: 0.05 }),
  endOnSuccess: bool(true, 'end the episode on the step that reaches success'),
  cameraHeight: num(1.0, 'pinhole camera height above the table, looking straight down (m)', { min: 0.3 }),
  cameraTilt: num(0, 'camera tilt about the image x axis (rad); 0 = straight down', { min: -0.6, max: 0.6 }),
  gantry: bool(false, "draw the robot's body: the rails and column of a Cartesian (gantry) robot carrying the gripper, which move with it (visual only)"),
  gantryRails: bool(true, 'with gantry: draw the rails too (false: only the column and the carriage at its top, moving with the gripper)'),
  gantryTurns: bool(false, "with gantry and no rails: the column and carriage turn with the gripper's yaw, and the carriage is a 16 cm bar along the fingers' axis, so a turn shows in the image"),
  supersample: int(3, 'anti-aliasing: sub-samples per pixel side', { min: 1, max: 8 }),
  distractors: int(0, 'moving background objects (visual only, no physics)', { min: 0, max: 8 }),
  colorJitter: num(0, 'per-episode random change of object colours (0..1)', { min: 0, max: 1 }),
  lightJitter: num(0, 'per-episode random brightness / tint change (0..1)', { min: 0, max: 1 }),
  cameraShake: num(0, 'per-step random camera offset, std in pixels', { min: 0 }),
});

export type TabletopConfig = ConfigOf<typeof TabletopSchema>;

/** A full config from defaults plus partial overrides (validated). */
export function tabletopConfig(overrides: Partial<TabletopConfig> = {}): TabletopConfig {
  return resolveConfig(TabletopSchema, [{ source: 'tabletop options', value: overrides }]);
}
