// Proves the worker's side of the truthful controls: Step stops half way along each message's link, previous/next event land on notable events, the latest event follows the shown moment after a seek, the log's lost-writes count equals the Lost writes meter, and the clock's rate is measured from simulated ms per wall ms, with the hurried share.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { ClockRate, RATE_WINDOW_WALL_MS } from '../../../src/worker/clock-rate';
import { Session } from '../../../src/worker/session';

function scenario(extra: object = {}): Scenario {
  const parsed = parseScenario({ version: 1, title: 'Controls test', seed: 11, topology: { orchestrators: 3, servers: 0, database: null }, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function preset(id: string): Scenario {
  const parsed = parseScenarioText(readFileSync(new URL(`../../../public/scenarios/${id}.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(id);
  return parsed.scenario;
}

const frozenClock = () => 0;

describe('Step', () => {
  it('stops half way along a message\'s drawn trip, and shows it there', () => {
    const session = new Session(scenario(), 1);
    let seenHalfway = 0;
    for (let i = 0; i < 200; i++) {
      const before = session.nowMs;
      const inFlight = session.frame().messages;
      session.step();
      expect(session.nowMs).toBeGreaterThan(before);
      // Half way along its drawn trip (stretched on a short link, drawn-messages.ts).
      const halfway = inFlight.some((m) => Math.abs((m.sentAtMs + m.drawnEndAtMs) / 2 - session.nowMs) < 1e-9);
      if (halfway) {
        seenHalfway++;
        // The message is still drawn, half way along.
        expect(session.frame().messages.some((m) => m.sentAtMs < session.nowMs && session.nowMs < m.drawnEndAtMs)).toBe(true);
      }
    }
    expect(seenHalfway).toBeGreaterThan(10);
  });

  it('never passes a message’s arrival or the next event', () => {
    const session = new Session(scenario(), 1);
    session.seek(3000);
    for (let i = 0; i < 100; i++) {
      const before = session.nowMs;
      const frame = session.frame();
      const arrivals = frame.messages.map((m) => m.endAtMs).filter((t) => t > before);
      session.step();
      for (const t of arrivals) expect(session.nowMs).toBeLessThanOrEqual(t);
    }
  });
});

describe('previous and next event', () => {
  it('next event lands on the next notable line, and previous comes back to the one before', () => {
    const session = new Session(preset('raft-basics'), 1);
    session.frame();
    session.nextEvent();
    const first = session.frame();
    expect(first.latest).not.toBeNull();
    expect(first.latest!.atMs).toBe(session.nowMs);
    session.nextEvent();
    const second = session.frame();
    expect(second.nowMs).toBeGreaterThan(first.nowMs);
    expect(second.latest!.atMs).toBe(second.nowMs);
    session.previousEvent();
    const back = session.frame();
    expect(back.nowMs).toBe(first.nowMs);
    expect(back.latest!.text).toBe(first.latest!.text);
  });

  it('previous event from the first one goes to 0, with no latest event', () => {
    const session = new Session(preset('raft-basics'), 1);
    session.nextEvent();
    session.previousEvent();
    const frame = session.frame();
    expect(frame.nowMs).toBe(0);
    expect(frame.latest).toBeNull();
  });
});

describe('the latest event', () => {
  it('describes the shown moment after a seek back, not the moment left', () => {
    const session = new Session(preset('raft-basics'), 1);
    session.seek(20_000);
    const at20 = session.frame().latest!;
    session.seek(9000);
    const at9 = session.frame().latest!;
    expect(at9.atMs).toBeLessThanOrEqual(9000);
    expect(at9.seq).not.toBe(at20.seq);
    // It is the newest notable line the log holds at 9 s.
    const replay = new Session(preset('raft-basics'), 1);
    replay.seek(9000);
    const notable = replay.frame().log.filter((l) => l.notable);
    expect(at9.text).toBe(notable[notable.length - 1]!.text);
  });
});

describe('lost writes in the log', () => {
  it('count the same as the Lost writes meter, split brain included', () => {
    const session = new Session(preset('failover-split-brain'), 1);
    session.seek(30_000);
    const frame = session.frame();
    const lost = frame.meters!.writes.lost;
    expect(lost).toBeGreaterThan(0);
    const told = frame.log.filter((l) => l.kind === 'writes-lost');
    const last = told[told.length - 1]!;
    const [, more, inAll] = /^(\d+) acknowledged writes? lost(?:, (\d+) in all)?/.exec(last.text)!;
    expect(Number(inAll ?? more)).toBe(lost);
    expect(told[0]!.notable).toBe(true);
  });

  it('say nothing where nothing is lost', () => {
    const session = new Session(preset('db-sync-disk-failure'), 1);
    session.seek(20_000);
    const frame = session.frame();
    expect(frame.meters!.writes.lost).toBe(0);
    expect(frame.log.some((l) => l.kind === 'writes-lost')).toBe(false);
  });
});

describe('the clock’s measured rate', () => {
  it('is simulated ms per wall ms over the last second, with the share hurried', () => {
    const rate = new ClockRate();
    expect(rate.reading()).toBeNull();
    rate.add(500, 10, 0);
    rate.add(500, 90, 80);
    expect(rate.reading()!.simPerWall).toBeCloseTo(0.1, 9);
    expect(rate.reading()!.hurriedShare).toBeCloseTo(0.8, 9);
    // Older slices leave the window.
    for (let i = 0; i < 10; i++) rate.add(RATE_WINDOW_WALL_MS / 10, 1, 0);
    expect(rate.reading()!.simPerWall).toBeCloseTo(0.01, 9);
    expect(rate.reading()!.hurriedShare).toBe(0);
  });

  it('measures a session hurrying through quiet time faster than the speed asked', () => {
    const session = new Session(scenario(), 0.01);
    session.playing = true;
    for (let i = 0; i < 60; i++) session.advance(16, frozenClock);
    const reading = session.frame().rate!;
    expect(reading.simPerWall).toBeCloseTo(session.nowMs / (60 * 16), 6);
    expect(reading.simPerWall).toBeGreaterThan(0.01 * 2);
    expect(reading.hurriedShare).toBeGreaterThan(0.5);
  });

  it('equals the speed asked when hurrying is off, and is absent while paused', () => {
    const session = new Session(scenario(), 0.5);
    session.skipQuiet = false;
    session.playing = true;
    for (let i = 0; i < 30; i++) session.advance(16, frozenClock);
    expect(session.frame().rate!.simPerWall).toBeCloseTo(0.5, 6);
    expect(session.frame().rate!.hurriedShare).toBe(0);
    session.playing = false;
    expect(session.frame().rate).toBeNull();
  });
});
