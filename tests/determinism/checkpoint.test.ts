// Proves that a run restored from a checkpoint is the run itself: straight to T, and to a checkpoint C < T restored into a fresh simulation and run on to T, give byte-identical traces and reports, for several bundled scenarios and seeds, with checkpoints taken mid-failover, mid-election and with messages in flight; and that the comparison is sharp enough to catch a checkpoint that leaves out any one piece of state.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Captured } from '../../src/sim/checkpoint/graph';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { Simulation, type Checkpoint } from '../../src/sim/world/simulation';

const presetDir = new URL('../../public/scenarios/', import.meta.url);

function preset(file: string, seed?: number): Scenario {
  const parsed = parseScenarioText(readFileSync(new URL(file, presetDir), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return seed === undefined ? parsed.scenario : { ...parsed.scenario, seed };
}

/** As the page's worker runs (it draws messages in flight, which adds their deaths on the wire to the queue and its count of events). */
const OPTIONS = { trackMessages: true } as const;

function serialize(sim: Simulation): { trace: string; report: string } {
  return { trace: sim.trace.map((e) => JSON.stringify(e)).join('\n'), report: JSON.stringify(sim.report()) };
}

/** A straight run of `scenario` to `untilMs`: its trace and report, and the trace to pick checkpoint times from. */
function straight(scenario: Scenario, untilMs: number): { trace: string; report: string; events: readonly TraceEvent[] } {
  const sim = new Simulation(scenario, OPTIONS);
  sim.runUntil(untilMs);
  return { ...serialize(sim), events: sim.trace };
}

/** Runs to `atMs`, checkpoints there, and says how many messages were on the wire then. */
function checkpointAt(scenario: Scenario, atMs: number): { checkpoint: Checkpoint; inFlight: number; original: Simulation } {
  const sim = new Simulation(scenario, OPTIONS);
  sim.runUntil(atMs);
  return { checkpoint: sim.checkpoint(), inFlight: sim.messagesInFlight().filter((m) => m.dropped === null).length, original: sim };
}

function restoredRun(scenario: Scenario, checkpoint: Checkpoint, untilMs: number): { trace: string; report: string } {
  const sim = Simulation.restore(scenario, checkpoint, OPTIONS);
  expect(sim.nowMs).toBe(checkpoint.atMs);
  sim.runUntil(untilMs);
  return serialize(sim);
}

/** The first moment (+1 ms) a trace event matching `is` happens, if any does before `beforeMs`. */
function justAfter(events: readonly TraceEvent[], beforeMs: number, is: (e: TraceEvent) => boolean): number[] {
  const hit = events.find((e) => is(e) && e.atMs + 1 < beforeMs);
  return hit ? [hit.atMs + 1] : [];
}

/** The first instant from `fromMs` on at which a message is on the wire (sent, not yet arrived). */
function withMessageInFlight(scenario: Scenario, fromMs: number): number[] {
  const sim = new Simulation(scenario, OPTIONS);
  sim.runUntil(fromMs);
  while (sim.messagesInFlight().every((m) => m.dropped !== null)) if (!sim.stepInstant(scenario.durationMs - 1)) return [];
  return [sim.nowMs];
}

interface Case {
  readonly file: string;
  /** Checkpoint times worth trying in this scenario, from its straight trace (mid-failover, mid-election…). */
  readonly moments: (events: readonly TraceEvent[], untilMs: number) => number[];
}

const midFailover = (events: readonly TraceEvent[], untilMs: number) =>
  justAfter(events, untilMs, (e) => e.type === 'failover' && (e as { step?: string }).step === 'detect');
const midElection = (events: readonly TraceEvent[], untilMs: number) =>
  justAfter(events, untilMs, (e) => e.type === 'role' && (e as { role?: string }).role === 'candidate' && e.atMs > 2_000);

const CASES: readonly Case[] = [
  { file: 'raft-partition.json', moments: midElection },
  { file: 'bully-partition.json', moments: (events, untilMs) => justAfter(events, untilMs, (e) => e.atMs > 5_000 && e.type === 'role') },
  { file: 'failover-primary-crash.json', moments: midFailover },
  { file: 'failover-witness.json', moments: (events, untilMs) => [...midFailover(events, untilMs), 20_500] },
  { file: 'backup-restore.json', moments: () => [50_700] },
];
const SEEDS: readonly (number | undefined)[] = [undefined, 101, 9_973];

describe('checkpoints: a restored run is byte-identical to a straight run', () => {
  for (const { file, moments } of CASES) {
    for (const seed of SEEDS) {
      it(`${file}, seed ${seed ?? 'as bundled'}`, () => {
        const scenario = preset(file, seed);
        const untilMs = scenario.durationMs;
        const expected = straight(scenario, untilMs);
        // An odd moment early on, one a third of the way, one with a message on the wire half way, and the scenario's own interesting moments.
        const times = [1_237, Math.round(untilMs / 3) + 7, ...withMessageInFlight(scenario, untilMs / 2), ...moments(expected.events, untilMs)];
        let inFlightSomewhere = 0;
        for (const atMs of times) {
          const { checkpoint, inFlight, original } = checkpointAt(scenario, atMs);
          inFlightSomewhere = Math.max(inFlightSomewhere, inFlight);
          const restored = restoredRun(scenario, checkpoint, untilMs);
          expect(restored.report, `restored at ${atMs}`).toBe(expected.report);
          expect(restored.trace, `restored at ${atMs}`).toBe(expected.trace);
          // The same checkpoint restores again, and taking it did not disturb the run it was taken of.
          expect(restoredRun(scenario, checkpoint, untilMs).trace).toBe(expected.trace);
          original.runUntil(untilMs);
          expect(serialize(original).trace).toBe(expected.trace);
        }
        expect(times.length).toBeGreaterThanOrEqual(4); // a message on the wire, and a moment of the case's own
        expect(inFlightSomewhere).toBeGreaterThan(0);
      });
    }
  }

  it('a run whose Raft logs are compacted restores exactly, snapshots, InstallSnapshot and all', () => {
    // A partitioned orchestrator catches up by InstallSnapshot while the others compact every few entries.
    const base = preset('failover-primary-crash.json');
    const scenario: Scenario = {
      ...base,
      settings: { ...base.settings, raftSnapshotEvery: 4 },
      events: [...base.events, { atMs: 2_000, do: 'partition', groups: [['orch-3'], ['*']] }, { atMs: 16_000, do: 'heal' }].sort((a, b) => a.atMs - b.atMs),
    } as Scenario;
    const expected = straight(scenario, scenario.durationMs);
    const install = expected.events.find((e) => e.type === 'install-snapshot');
    const snapshot = expected.events.find((e) => e.type === 'snapshot');
    expect(install, 'a follower installed a snapshot').toBeDefined();
    for (const atMs of [snapshot!.atMs + 1, install!.atMs - 1, install!.atMs + 1, Math.round(scenario.durationMs * 0.8)]) {
      expect(restoredRun(scenario, checkpointAt(scenario, atMs).checkpoint, scenario.durationMs).trace, `restored at ${atMs}`).toBe(expected.trace);
    }
  });

  it('a checkpoint restored, run on and checkpointed again still matches (checkpoints of restored runs)', () => {
    const scenario = preset('failover-split-brain.json');
    const expected = straight(scenario, scenario.durationMs);
    const first = checkpointAt(scenario, 9_999).checkpoint;
    const middle = Simulation.restore(scenario, first, OPTIONS);
    middle.runUntil(15_001);
    expect(restoredRun(scenario, middle.checkpoint(), scenario.durationMs).trace).toBe(expected.trace);
  });
});

type CapturedObject = Extract<Captured, { t: 'object' }>;

/**
 * A checkpoint with one piece of state left out (the field `field` of the object at `path`, by
 * field names from the checkpoint's root): the restored run keeps what a fresh simulation has
 * there. The objects along the path are copied; the checkpoint itself is left as it was.
 */
function without(checkpoint: Checkpoint, path: readonly string[], field: string): Checkpoint {
  const strip = (node: Captured, rest: readonly string[]): CapturedObject => {
    if (typeof node !== 'object' || node === null || node.t !== 'object') throw new Error(`no object on the way to ${[...path, field].join('.')}`);
    const fields = { ...node.fields };
    const [next, ...more] = rest;
    if (next === undefined) {
      if (!(field in fields)) throw new Error(`no field ${field} at ${path.join('.')}`);
      delete fields[field];
    } else {
      fields[next] = strip(fields[next], more);
    }
    return { ...node, fields };
  };
  return { ...checkpoint, state: strip(checkpoint.state, path) };
}

describe('checkpoints: the comparison catches a piece of state left out', () => {
  // Each of these, missing from a checkpoint, must change the run after it (or its report).
  const PIECES: readonly (readonly [path: readonly string[], field: string, what: string])[] = [
    [[], 'actors', "every machine's persisted snapshot (XState)"],
    [['world', 'kernel'], 'queue', 'the event queue (timers, messages in flight, scenario events)'],
    [['world', 'kernel'], 'now', 'the clock'],
    [['world', 'kernel', 'network'], 'rng', "the network's PRNG (latency and loss)"],
    [['world', 'kernel'], 'hostsById', 'the hosts (timers, disks, incarnations, per-node PRNGs)'],
    [['world', 'workload', 'writes'], 'nextId', "the write clients' numbering"],
    [['world'], 'ledger', "the ledger of acknowledged writes (the report's RPO)"],
    [['world'], 'checker', 'the safety checker'],
    [['world'], 'reportBuilder', "the report's leaders and primaries"],
  ];
  const scenario = preset('failover-split-brain.json');
  const expected = straight(scenario, scenario.durationMs);
  const { checkpoint } = checkpointAt(scenario, 12_345);

  it('the checkpoint as taken restores exactly', () => {
    const restored = restoredRun(scenario, checkpoint, scenario.durationMs);
    expect(restored.trace).toBe(expected.trace);
    expect(restored.report).toBe(expected.report);
  });

  it.each(PIECES.map(([path, field, what]) => ({ path, field, what })))('without $what, the restored run differs', ({ path, field }) => {
    let restored: { trace: string; report: string };
    try {
      restored = restoredRun(scenario, without(checkpoint, path, field), scenario.durationMs);
    } catch {
      return; // a restore that fails outright is caught too
    }
    expect(restored.trace === expected.trace && restored.report === expected.report).toBe(false);
  });
});
