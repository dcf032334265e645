/**
 * Latent -> native action mappings (Genie §3.3): given a latent action code (and, for the
 * observation-conditioned kinds, the robot's proprioceptive state) produce a native action
 * vector for one robot. Every mapping knows the robot it was fitted for.
 * Dimension legend: K codes, A native action dims, S state dims.
 */
import type { Rng } from '../util/rng.ts';

/** One labelled expert transition (x_t, u_t, x_{t+1}) reduced to what a mapping needs. */
export interface LabelledTransition {
  /** Latent code the frozen LAM gave x_t -> x_{t+1}, in [0, K). */
  code: number;
  /** Native action u_t, length A. */
  action: Float32Array;
  /** Proprioceptive state at t, length S (needed by conditioned mappings). */
  state?: Float32Array;
}

/** Per-dimension statistics of native actions, used to normalise regression targets. */
export interface ActionStats {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
}

/** What a mapping is asked at run time. */
export interface MappingQuery {
  code: number;
  /** Proprioceptive state (length S); required by conditioned mappings. */
  state?: Float32Array;
}

export type MappingKind = 'dictionary' | 'ridge' | 'mlp';

/** Fields every saved mapping carries. */
export interface MappingHeader {
  format: 'lara-mapping';
  version: 1;
  kind: MappingKind;
  /** Robot (robots/<name>/robot.json) whose native actions this mapping emits. */
  robot: string;
  /** Names of the native DoF, in action order. */
  dofNames: string[];
  /** Number of latent codes K. */
  codes: number;
  /** Native action dims A. */
  actionDim: number;
  /** Proprioceptive state dims S the mapping reads (0 = not conditioned). */
  stateDim: number;
  /** Number of labelled transitions it was fitted on. */
  fittedOn: number;
  stats: ActionStats;
}

export interface LatentMapping {
  readonly header: MappingHeader;
  /** A native action (length A), clamped to the robot's limits. */
  map(q: MappingQuery, rng: Rng): Float32Array;
}
