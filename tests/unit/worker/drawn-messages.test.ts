// Proves the stretched drawing of messages on short links: every message is drawn travelling for
// at least MIN_DRAWN_WALL_MS of wall time at the current speed (capped at MAX_STRETCH_MS of
// simulated time), it stays drawn after the simulation delivered it, a seek draws the same
// messages at the same places, and the simulation's own timing (its trace) does not change.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { Simulation } from '../../../src/sim/world/simulation';
import { MAX_STRETCH_MS, MIN_DRAWN_WALL_MS, drawnEndAtMs } from '../../../src/worker/drawn-messages';
import { Session } from '../../../src/worker/session';

function scenario(): Scenario {
  const parsed = parseScenario({ version: 1, title: 'Drawn messages', seed: 3, topology: { orchestrators: 3, servers: 0, database: null } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

describe('drawn trip of a message', () => {
  it('lasts at least the minimum wall time at the speed, up to the cap, and never less than the real trip', () => {
    expect(drawnEndAtMs(100, 103, 0.02)).toBeCloseTo(100 + MIN_DRAWN_WALL_MS * 0.02);
    expect(drawnEndAtMs(100, 103, 1)).toBe(100 + MAX_STRETCH_MS);
    expect(drawnEndAtMs(100, 190, 0.02)).toBe(190);
  });

  it('keeps a delivered heartbeat drawn until its drawn end, and the shown moments agree after a seek', () => {
    const speed = 0.05;
    const session = new Session(scenario(), speed);
    session.seek(3000);
    let afterDelivery = 0;
    for (let i = 0; i < 60; i++) {
      session.step();
      const frame = session.frame();
      for (const m of frame.messages) {
        expect(m.sentAtMs).toBeLessThanOrEqual(frame.nowMs);
        expect(frame.nowMs).toBeLessThan(m.drawnEndAtMs);
        expect(m.drawnEndAtMs - m.sentAtMs).toBeGreaterThanOrEqual(Math.min(MAX_STRETCH_MS, MIN_DRAWN_WALL_MS * speed) - 1e-9);
        if (m.endAtMs <= frame.nowMs) afterDelivery++;
      }
    }
    expect(afterDelivery).toBeGreaterThan(0);
    const at = session.nowMs;
    const shown = session.frame().messages.map((m) => [m.id, m.drawnEndAtMs]);
    const again = new Session(scenario(), speed);
    again.seek(at);
    expect(again.frame().messages.map((m) => [m.id, m.drawnEndAtMs])).toEqual(shown);
  });

  it('leaves the simulation\'s timing alone: the trace is the same with and without drawing', () => {
    const plain = new Simulation(scenario());
    plain.runUntil(5000);
    const drawn = new Simulation(scenario(), { trackMessages: true, onMessage: () => undefined });
    drawn.runUntil(5000);
    expect(drawn.trace).toEqual(plain.trace);
  });
});
