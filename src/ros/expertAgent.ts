/**
 * The tabletop scripted expert as a ROS agent. The expert needs privileged simulator state (the
 * scene, not the image), which `lara sim --ros` publishes on /tabletop/expert_state as JSON,
 * tagged with the camera frame's sequence number. act() answers frame N with the state of
 * frame N, waiting briefly for it; a missing state is an error (the watchdog then stops).
 */
import type { RobotDescription } from '../robot/description.ts';
import { LaraError } from '../util/errors.ts';
import { ScriptedAgent } from '../agent/scripted.ts';
import type { ExpertOptions, ExpertView } from '../sim/expert.ts';
import type { TabletopConfig } from '../sim/config.ts';
import type { Scene } from '../sim/scene.ts';
import type { Task } from '../sim/tasks.ts';
import type { DriveAgent, RosObservation } from './controller.ts';
import type { RosNodeConnection } from './node.ts';
import { SIM_TOPICS } from './topics.ts';

/** Payload of SIM_TOPICS.expertState. */
export interface ExpertStateMsg {
  seq: number;
  episode: number;
  /** The episode's reset seed (the expert's noise is seeded from it, as in-process). */
  seed: number;
  step: number;
  instruction: string;
  task: Task;
  scene: Scene;
  config: TabletopConfig;
  success: boolean;
}

export class RosExpertAgent implements DriveAgent {
  readonly name = 'expert';
  #states = new Map<number, ExpertStateMsg>();
  #waiters: Array<() => void> = [];
  #current: ExpertView | undefined;
  /** The in-process scripted agent, reading the state of the frame being answered. */
  readonly #inner: ScriptedAgent;
  #episode = -1;
  readonly waitMs: number;

  private constructor(waitMs: number, opts: ExpertOptions) {
    this.waitMs = waitMs;
    this.#inner = new ScriptedAgent(() => this.#current!, opts);
  }

  /** `opts`: the expert's action noise (default none), as for in-process rollouts. */
  static create(robot: RobotDescription, node: RosNodeConnection, opts: ExpertOptions = {}, topic: string = SIM_TOPICS.expertState, waitMs = 500): RosExpertAgent {
    if (robot.simulator !== 'tabletop') {
      throw new LaraError('the expert agent only drives the tabletop simulator', { where: '--agent expert', expected: 'a simulated robot (tabletop-sim) served by lara sim --ros', got: robot.name });
    }
    const a = new RosExpertAgent(waitMs, opts);
    node.subscribe(topic, 'std_msgs/String', (m: { data: string }) => a.onState(m.data), { queueSize: 10 });
    return a;
  }

  /** Feed one expert_state JSON payload. */
  onState(json: string): void {
    let s: ExpertStateMsg;
    try {
      s = JSON.parse(json) as ExpertStateMsg;
    } catch {
      return;
    }
    this.#states.set(s.seq, s);
    for (const k of this.#states.keys()) if (k < s.seq - 64) this.#states.delete(k);
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Episodes are followed from the privileged state itself (below); nothing to do here. */
  reset(_instruction: string, _seed: number): void {}

  async act(obs: RosObservation): Promise<Float32Array> {
    const t0 = Date.now();
    let s = this.#states.get(obs.seq);
    while (!s && Date.now() - t0 < this.waitMs) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, this.waitMs);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
      s = this.#states.get(obs.seq);
    }
    if (!s) throw new LaraError('no privileged state for this camera frame', { where: SIM_TOPICS.expertState, expected: `state with seq ${obs.seq}`, got: 'nothing (is lara sim --ros running?)' });
    if (s.episode !== this.#episode) {
      // a new episode: re-seed exactly as the in-process rollout does, whatever the order in
      // which the episode event and the first frame arrived
      this.#episode = s.episode;
      this.#inner.reset(s.instruction, s.seed);
    }
    this.#current = { scene: s.scene, task: s.task, config: s.config, success: s.success };
    return this.#inner.act(obs);
  }
}
