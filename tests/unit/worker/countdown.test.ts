// Proves what the page's election-timer ring is drawn from: each Raft follower's frame carries its
// election timer (set at fromMs, firing at atMs, within the scenario's election timeout), a
// heartbeat re-arms it, a leader carries none, a node whose timer runs out without a leader
// becomes a candidate at that moment, and Bully followers carry their wait for the coordinator.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { Session } from '../../../src/worker/session';

function scenario(extra: object = {}): Scenario {
  const parsed = parseScenario({ version: 1, title: 'Countdown test', seed: 5, topology: { orchestrators: 3, servers: 0, database: null }, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function leaderOf(session: Session) {
  return session.frame().nodes.find((n) => n.view.role === 'leader');
}

describe('election timer in the frame', () => {
  it('is armed on every follower within the election timeout, re-armed by heartbeats, and absent on the leader', () => {
    const s = scenario();
    const session = new Session(s, 1);
    session.seek(4000);
    const leader = leaderOf(session);
    expect(leader).toBeDefined();
    expect(leader!.countdown).toBeUndefined();
    const [minMs, maxMs] = s.settings.electionTimeoutMs;
    const followers = session.frame().nodes.filter((n) => n.view.role === 'follower');
    expect(followers.length).toBe(2);
    for (const f of followers) {
      expect(f.countdown?.name).toBe('election');
      const span = f.countdown!.atMs - f.countdown!.fromMs;
      expect(span).toBeGreaterThanOrEqual(minMs);
      expect(span).toBeLessThanOrEqual(maxMs);
      expect(f.countdown!.fromMs).toBeLessThanOrEqual(session.nowMs);
      // Heartbeats come every heartbeatMs, so the timer was re-armed less than two heartbeats ago.
      expect(session.nowMs - f.countdown!.fromMs).toBeLessThan(2 * s.settings.heartbeatMs + 10);
    }
    const before = followers[0]!.countdown!.fromMs;
    session.seek(4000 + 3 * s.settings.heartbeatMs);
    const later = session.frame().nodes.find((n) => n.id === followers[0]!.id)!;
    expect(later.countdown!.fromMs).toBeGreaterThan(before);
  });

  it('runs out on a follower once the leader is gone: it becomes a candidate when its timer fires', () => {
    const probe = new Session(scenario(), 1);
    probe.seek(4000);
    const leader = leaderOf(probe)!.id;
    const s = scenario({ events: [{ atMs: 4000, do: 'crash', node: leader }] });
    const session = new Session(s, 1);
    session.seek(4000 + s.settings.heartbeatMs);
    const survivors = session.frame().nodes.filter((n) => n.id !== leader);
    // The first timer to run out among the survivors starts the election at that very moment.
    const first = survivors.reduce((a, b) => (a.countdown!.atMs <= b.countdown!.atMs ? a : b));
    const atMs = first.countdown!.atMs;
    session.seek(atMs - 1);
    for (const n of session.frame().nodes.filter((n) => n.id !== leader)) expect(n.view.role).toBe('follower');
    session.seek(atMs);
    expect(session.frame().nodes.find((n) => n.id === first.id)!.view.role).toBe('candidate');
  });

  it('is absent on a down node', () => {
    const s = scenario({ events: [{ atMs: 3000, do: 'crash', node: 'orch-1' }] });
    const session = new Session(s, 1);
    session.seek(3500);
    const down = session.frame().nodes.find((n) => n.id === 'orch-1')!;
    expect(down.up).toBe(false);
    expect(down.countdown).toBeUndefined();
  });

  it('shows a Bully follower waiting for the coordinator', () => {
    const s = scenario({ topology: { orchestrators: 3, election: 'bully', servers: 0, database: null } });
    const session = new Session(s, 1);
    session.seek(5000);
    const nodes = session.frame().nodes;
    const coordinator = nodes.find((n) => n.view.role === 'leader');
    expect(coordinator).toBeDefined();
    expect(coordinator!.countdown).toBeUndefined();
    const followers = nodes.filter((n) => n.view.role === 'follower');
    expect(followers.length).toBeGreaterThan(0);
    for (const f of followers) expect(f.countdown?.name).toBe('election');
  });
});
