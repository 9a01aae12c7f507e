// Proves that the worker's playback session plays, steps and seeks deterministically, forks the run when the user acts after seeking back, and hands each log line to the page once.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/world/simulation';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { Session, withRestGroup } from '../../../src/worker/session';

function scenario(extra: object = {}): Scenario {
  const parsed = parseScenario({ version: 1, title: 'Session test', seed: 11, topology: { orchestrators: 3, servers: 0, database: null }, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** A wall clock that never moves, so `advance` is limited by the wall time handed in, not by its budget. */
const frozenClock = () => 0;

/** Plays in display-sized slices of wall time at 1×, the way the worker's ticks do. */
function playTo(session: Session, atMs: number): void {
  session.playing = true;
  session.speed = 1;
  session.skipQuiet = false;
  while (session.nowMs < atMs) session.advance(Math.min(16, atMs - session.nowMs), frozenClock);
  session.playing = false;
}

/** orch-1 crashed by the user at 3 s, played on to 5 s, then seeked back to 1 s, before the crash. */
function crashedThenSeekedBack(): Session {
  const session = new Session(scenario(), 1);
  playTo(session, 3000);
  session.act({ do: 'crash', node: 'orch-1' });
  playTo(session, 5000);
  session.seek(1000);
  return session;
}

function visibleState(session: Session) {
  const { nodes, messages, faults, invariants } = session.frame();
  return JSON.stringify({ nodes, messages, faults, invariants });
}

/** A session at 10× with these stops or marks, played for 250 ms of wall time. */
function playedFast(times: Partial<Pick<Session, 'stopsAtMs' | 'marksAtMs'>>): Session {
  const session = new Session(scenario(), 10);
  Object.assign(session, times);
  session.playing = true;
  session.advance(250, frozenClock);
  return session;
}

describe('Session playback', () => {
  it('advances only while playing, by wall time × speed', () => {
    const session = new Session(scenario(), 0.5);
    session.skipQuiet = false;
    session.advance(100, frozenClock);
    expect(session.nowMs).toBe(0);
    session.playing = true;
    session.advance(100, frozenClock);
    expect(session.nowMs).toBeCloseTo(50, 6);
  });

  it('stops by itself at a stop time however fast it plays (a lesson question), and plays on past it when played again', () => {
    const session = playedFast({ stopsAtMs: [700, 2500] }); // 2.5 s of simulated time at 10×, were it not for the stop
    expect(session.nowMs).toBe(700);
    expect(session.playing).toBe(false);
    session.playing = true;
    session.advance(250, frozenClock);
    expect(session.nowMs).toBe(2500);
    expect(session.playing).toBe(false);
    session.playing = true;
    session.advance(50, frozenClock);
    expect(session.nowMs).toBeGreaterThan(2500);
  });

  it('waits at a mark (a lesson step’s time) however fast it plays, still playing, until the frame at the mark is sent', () => {
    const session = playedFast({ marksAtMs: [700, 900] }); // 2.5 s of simulated time at 10×, were it not for the mark
    expect(session.nowMs).toBe(700);
    expect(session.playing).toBe(true);
    expect(session.atMark).toBe(true);
    session.advance(250, frozenClock); // no frame at 700 sent yet: the clock waits there
    expect(session.nowMs).toBe(700);
    session.atMark = false; // the worker sent the frame at 700
    session.advance(250, frozenClock);
    expect(session.nowMs).toBe(900);
    session.atMark = false;
    session.advance(50, frozenClock);
    expect(session.nowMs).toBeCloseTo(1400, 6);
    expect(session.atMark).toBe(false);
  });

  it('hurries through quiet time at least at 1× when skipping quiet stretches', () => {
    const session = new Session(scenario(), 0.01);
    session.playing = true;
    session.advance(100, frozenClock); // nothing is on the wire before the first election timer
    expect(session.nowMs).toBeCloseTo(100, 6);
  });

  it('steps to the next instant at which anything happens, and no further', () => {
    const base = scenario();
    const session = new Session(base, 1);
    const expected = new Simulation(base).nextAtMs()!;
    session.step();
    expect(session.nowMs).toBe(expected);
    session.step();
    expect(session.nowMs).toBeGreaterThan(expected);
  });

  it('seeking back re-simulates to exactly the state that playing straight there shows', () => {
    const played = new Session(scenario({ workload: { proposalsPerSec: 4 } }), 1);
    playTo(played, 3217);
    const straight = visibleState(played);
    playTo(played, 7000);
    expect(visibleState(played)).not.toBe(straight);
    played.seek(3217);
    expect(played.nowMs).toBe(3217);
    expect(visibleState(played)).toBe(straight);

    const jumped = new Session(scenario({ workload: { proposalsPerSec: 4 } }), 1);
    jumped.seek(3217);
    expect(visibleState(jumped)).toBe(straight);
  });

  it('keeps a recorded action when seeking back before it and replays it at its time', () => {
    const session = crashedThenSeekedBack();
    expect(session.frame().nodes.find((n) => n.id === 'orch-1')!.up).toBe(true);
    playTo(session, 4000);
    expect(session.frame().nodes.find((n) => n.id === 'orch-1')!.up).toBe(false);
  });

  it('acting after seeking back drops the actions of the old future', () => {
    const session = crashedThenSeekedBack();
    session.act({ do: 'crash', node: 'orch-2' });
    expect(session.actionCount).toBe(1);
    expect(session.recordedScenario().events).toEqual([{ atMs: 1000, do: 'crash', node: 'orch-2' }]);
    playTo(session, 5000);
    const up = Object.fromEntries(session.frame().nodes.map((n) => [n.id, n.up]));
    expect(up).toEqual({ 'orch-1': true, 'orch-2': false, 'orch-3': true });
  });

  it("a lesson's rewind goes back to a moment and forgets the actions after it (and at it, when asked)", () => {
    const session = new Session(scenario(), 1);
    playTo(session, 2000);
    session.act({ do: 'crash', node: 'orch-1' });
    playTo(session, 3000);
    session.act({ do: 'crash', node: 'orch-2' });
    playTo(session, 4000);
    session.rewind(2000, true);
    expect(session.nowMs).toBe(2000);
    expect(session.recordedScenario().events).toEqual([{ atMs: 2000, do: 'crash', node: 'orch-1' }]);
    playTo(session, 5000);
    expect(session.frame().nodes.find((n) => n.id === 'orch-2')!.up).toBe(true);
    session.rewind(2000, false);
    expect(session.actionCount).toBe(0);
    expect(session.frame().nodes.every((n) => n.up)).toBe(true);
  });

  it('sends the lesson moment only for a scenario with steps', () => {
    expect(new Session(scenario(), 1).frame().moment).toBeNull();
    const lesson = new Session(scenario({ steps: [{ text: 'Watch.' }] }), 1);
    playTo(lesson, 3000);
    expect(lesson.frame().moment).toMatchObject({ nowMs: 3000, orchestrators: 3, checkQuorum: false });
  });

  it('hands each log line to the page once, and starts the log over after a seek', () => {
    const session = new Session(scenario(), 1);
    playTo(session, 4000);
    const first = session.frame();
    expect(first.logReset).toBe(true);
    expect(first.log.some((l) => /elected leader/.test(l.text))).toBe(true);
    const again = session.frame();
    expect(again.log).toEqual([]);
    expect(again.logReset).toBe(false);

    session.act({ do: 'crash', node: '@leader' }); // something new to say
    playTo(session, 6000);
    const later = session.frame();
    expect(later.log.some((l) => /crash/.test(l.text))).toBe(true);
    expect(later.log.every((l) => l.atMs >= 4000)).toBe(true);
    const seen = [...first.log, ...later.log].map((l) => l.seq);
    expect(new Set(seen).size).toBe(seen.length);

    session.seek(2000);
    const afterSeek = session.frame();
    expect(afterSeek.logReset).toBe(true);
    expect(afterSeek.log.every((l) => l.atMs <= 2000)).toBe(true);
  });
});

describe('withRestGroup', () => {
  it('adds everyone a partition does not name as a side of its own', () => {
    const faults = { partition: [['orch-1']], cut: [], slow: [], darkRegions: [] };
    expect(withRestGroup(faults, ['orch-1', 'orch-2', 'orch-3']).partition).toEqual([['orch-1'], ['orch-2', 'orch-3']]);
    expect(withRestGroup({ ...faults, partition: null }, ['orch-1']).partition).toBeNull();
  });
});

describe('Session frames for a database', () => {
  it('carry no meters without a database, and the live write meters with one', () => {
    expect(new Session(scenario(), 1).frame().meters).toBeNull();
    const withDatabase = scenario({
      topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [{ atMs: 2_000, do: 'crash', node: 'db-1' }],
    });
    const session = new Session(withDatabase, 1);
    session.seek(1_000);
    const before = session.frame().meters!;
    expect(before.primary).toBe('db-1');
    expect(before.writes.acknowledged).toBeGreaterThan(0);
    session.seek(3_000);
    const after = session.frame().meters!;
    expect(after.primary).toBeNull();
    expect(after.unavailableMs).toBeGreaterThan(900);
    expect(after.writes.attempted).toBeGreaterThan(before.writes.attempted);
  });
});
