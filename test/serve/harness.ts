/** Loopback harness for lara serve tests: a real ActionServer on 127.0.0.1 (free port) plus clients. */
import { loadRobot } from '../../src/robot/load.ts';
import type { RobotDescription } from '../../src/robot/description.ts';
import { ActionClient } from '../../src/serve/client.ts';
import { ActionServer, type ActionServerOptions } from '../../src/serve/server.ts';
import type { ServeAgent } from '../../src/serve/agents.ts';
import type { Observation } from '../../src/agent/types.ts';

export interface Harness {
  server: ActionServer;
  robot: RobotDescription;
  /** A new client connected to the server (closed by close()). */
  client(timeoutMs?: number): ActionClient;
  close(): Promise<void>;
}

export async function startHarness(o: Partial<ActionServerOptions> & Pick<ActionServerOptions, 'makeAgent'>, robotName = 'tabletop-sim'): Promise<Harness> {
  const robot = o.robot ?? loadRobot(robotName);
  const logs: string[] = [];
  const server = await ActionServer.start({ bind: 'tcp://127.0.0.1:0', log: (s) => logs.push(s), ...o, robot });
  const clients: ActionClient[] = [];
  return {
    server,
    robot,
    client(timeoutMs = 3000) {
      const c = new ActionClient(server.endpoint, { timeoutMs });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}

/** A grey [H, W, 3] image. */
export function greyImage(width: number, height: number, v = 128): Uint8Array {
  return new Uint8Array(width * height * 3).fill(v);
}

/** An agent that always asks for `value` on every DoF and records what it saw. */
export class FixedAgent implements ServeAgent {
  readonly name = 'fixed';
  readonly seen: Observation[] = [];
  resets: [string, number][] = [];
  constructor(
    readonly values: (i: number, step: number) => number,
    readonly n: number,
  ) {}
  reset(instruction: string, seed: number): void {
    this.resets.push([instruction, seed]);
  }
  act(obs: Observation): Float32Array {
    this.seen.push(obs);
    const step = this.seen.length - 1;
    return Float32Array.from({ length: this.n }, (_, i) => this.values(i, step));
  }
}

/** An agent whose act() resolves after `ms` (async: it does not block the event loop). */
export class SlowAgent implements ServeAgent {
  readonly name = 'slow';
  calls = 0;
  finished = 0;
  constructor(
    readonly ms: (call: number) => number,
    readonly n: number,
  ) {}
  reset(): void {}
  async act(): Promise<Float32Array> {
    const call = this.calls++;
    await new Promise((r) => setTimeout(r, this.ms(call)));
    this.finished++;
    return new Float32Array(this.n).fill(0.5);
  }
}
