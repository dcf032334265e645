/**
 * The paper's mapping (Genie App. E): a dictionary from each latent code to the native actions
 * seen with it in a small labelled set. At run time u_t is either a sample from D[code] or its
 * mean. A code never seen in the labelled set maps to the robot's stop action.
 */
import type { RobotDescription } from '../robot/description.ts';
import type { Rng } from '../util/rng.ts';
import { checkTransitions, clampToRobot, computeStats, stopAction } from './stats.ts';
import type { LabelledTransition, LatentMapping, MappingHeader, MappingQuery } from './types.ts';

export type DictionaryMode = 'sample' | 'mean';

export interface DictionaryState {
  mode: DictionaryMode;
  /** For each code, the native actions seen with it ([K][n_k][A]). */
  entries: number[][][];
}

export class DictionaryMapping implements LatentMapping {
  readonly header: MappingHeader;
  readonly state: DictionaryState;
  #robot: RobotDescription;
  #means: (Float32Array | null)[];

  constructor(header: MappingHeader, state: DictionaryState, robot: RobotDescription) {
    this.header = header;
    this.state = state;
    this.#robot = robot;
    this.#means = state.entries.map((rows) => {
      if (rows.length === 0) return null;
      const m = new Float32Array(header.actionDim);
      for (const r of rows) for (let j = 0; j < m.length; j++) m[j]! += r[j]! / rows.length;
      return m;
    });
  }

  static fit(samples: readonly LabelledTransition[], robot: RobotDescription, codes: number, mode: DictionaryMode = 'sample'): DictionaryMapping {
    checkTransitions(samples, robot, codes, false);
    const entries: number[][][] = Array.from({ length: codes }, () => []);
    for (const t of samples) entries[t.code]!.push(Array.from(t.action));
    const header: MappingHeader = {
      format: 'lara-mapping', version: 1, kind: 'dictionary', robot: robot.name, dofNames: robot.dof.map((d) => d.name),
      codes, actionDim: robot.dof.length, stateDim: 0, fittedOn: samples.length, stats: computeStats(samples.map((t) => t.action)),
    };
    return new DictionaryMapping(header, { mode, entries }, robot);
  }

  /** Each code's mean native action (null for a code never seen in the labelled set). */
  means(): readonly (Float32Array | null)[] {
    return this.#means;
  }

  /** How many labelled actions each code has. */
  counts(): number[] {
    return this.state.entries.map((e) => e.length);
  }

  map(q: MappingQuery, rng: Rng): Float32Array {
    const rows = this.state.entries[q.code];
    if (!rows || rows.length === 0) return stopAction(this.#robot);
    const u = this.state.mode === 'mean' ? Float32Array.from(this.#means[q.code]!) : Float32Array.from(rows[rng.int(rows.length)]!);
    return clampToRobot(u, this.#robot);
  }
}
