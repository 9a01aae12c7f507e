// Proves that the worker's session seeks through its checkpoints to exactly what playing straight there shows (nodes, messages, log, chart, failover steps, meters), forward and back, and that a fork (acting after seeking back) never restores a checkpoint of the old future.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { LogLine } from '../../../src/worker/protocol';
import { Session } from '../../../src/worker/session';

/** A primary crash at 12 s, writes through API servers, so the chart, the log and the failover steps all have something to say. */
function scenario(): Scenario {
  const parsed = parseScenario({
    version: 1,
    title: 'Session checkpoints',
    seed: 5,
    durationMs: 80_000,
    topology: { orchestrators: 3, election: 'raft', servers: 2, database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] } },
    workload: { writesPerSec: 20 },
    events: [{ atMs: 12_000, do: 'crash', node: '@primary' }],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** The log lines a seek sends at most (a seek forward from 0 sends more: the page keeps the newest). */
const LOG_AFTER_SEEK = 400;

/** Everything the page is shown after a seek; log lines by their words (their numbers only count lines sent). */
function shown(session: Session): string {
  const { rate: _rate, log, latest, ...frame } = session.frame();
  const words = ({ seq: _seq, ...line }: LogLine) => line;
  return JSON.stringify({ ...frame, latest: latest && words(latest), log: log.slice(-LOG_AFTER_SEEK).map(words) });
}

describe('Session checkpoints', () => {
  it('a seek back restores a checkpoint and shows exactly what running straight there shows', () => {
    const straight = new Session(scenario(), 1);
    straight.seek(47_321);
    const expected = shown(straight);

    const travelled = new Session(scenario(), 1);
    travelled.seek(75_000);
    expect(travelled.checkpointTimes()).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
    travelled.seek(47_321); // back: from the checkpoint at 40 s
    expect(shown(travelled)).toBe(expected);
    travelled.seek(12_040); // back again, into the failover
    travelled.seek(47_321); // forward past checkpoints kept from before: from the one at 40 s again
    expect(shown(travelled)).toBe(expected);
  });

  it('a fork forgets the checkpoints of the old future, and a recorded action later than a checkpoint is replayed from it', () => {
    const forked = new Session(scenario(), 1);
    forked.seek(30_000);
    forked.act({ do: 'crash', node: 'db-2' });
    forked.seek(65_000);
    forked.seek(20_000); // before the crash of db-2: its checkpoints at 30 s and later hold it
    forked.act({ do: 'crash', node: 'orch-1' }); // forks: the crash of db-2 is dropped
    expect(forked.actionCount).toBe(1);
    expect(forked.checkpointTimes()).toEqual([0, 10_000, 20_000]);
    forked.seek(55_000);
    forked.seek(25_000);
    forked.seek(52_500);

    const straight = new Session(scenario(), 1);
    straight.seek(20_000);
    straight.act({ do: 'crash', node: 'orch-1' });
    straight.seek(52_500);
    expect(shown(forked)).toBe(shown(straight));
    expect(forked.recordedScenario()).toEqual(straight.recordedScenario());
    const db2 = JSON.parse(shown(forked)).nodes.find((n: { id: string }) => n.id === 'db-2');
    expect(db2.up).toBe(true);
  });

  it("the scout runs ahead in idle time, leaving checkpoints to the end, and a seek there then shows what running straight shows", () => {
    const session = new Session(scenario(), 1);
    let slices = 0;
    const clock = (() => {
      let t = 0;
      return () => (t += 1); // every look at the clock is a millisecond later
    })();
    // Each 2 s step looks at the clock once: a 10 ms budget covers 80 s of scenario in several slices.
    while (session.scoutAhead(10, clock)) slices++;
    expect(slices).toBeGreaterThan(1); // it stops within its budget and goes on later
    expect(session.nowMs).toBe(0); // the shown moment did not move
    expect(session.checkpointTimes()).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000]);
    expect(session.scoutAhead(50, clock)).toBe(false); // nothing left to scout for these actions

    session.seek(66_666);
    const straight = new Session(scenario(), 1);
    straight.seek(66_666);
    expect(shown(session)).toBe(shown(straight));

    session.seek(30_000);
    session.act({ do: 'crash', node: 'db-3' }); // a new run from 30 s on: scouted again from there
    expect(session.checkpointTimes()).toEqual([0, 10_000, 20_000, 30_000]);
    while (session.scoutAhead(50, clock));
    expect(session.checkpointTimes()).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000]);
  });
});
