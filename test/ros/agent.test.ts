import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadLearnedAgent } from '../../src/ros/agent.ts';
import { loadRobot } from '../../src/robot/load.ts';

describe('drive agents', () => {
  const robot = loadRobot('tabletop-sim');
  it('names the choices for an unknown agent', async () => {
    await expect(loadLearnedAgent('no/such/agent', robot)).rejects.toThrow(/--agent: unknown agent 'no\/such\/agent'; expected random, expert or a path/);
  });
  it('passes an agent folder to the learned-agent loader, whose errors name the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lara-agent-'));
    try {
      const e = await loadLearnedAgent(dir, robot).then(() => undefined, (x: Error) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e!.message).toContain(dir);
      expect(e!.message).not.toMatch(/not available yet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
