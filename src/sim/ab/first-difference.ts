/**
 * Where two runs first part: their notable trace lines (what the event log shows by default:
 * elections, faults, failovers, promotions…), in words, compared in order. The first line that
 * is not the same in both, or that one run has and the other has not (yet), is the difference.
 */
import { describe } from '../trace/describe';
import type { TraceEvent } from '../trace/trace';
import type { Scenario } from '../scenario/types';
import { Simulation } from '../world/simulation';

export interface TracedLine {
  readonly atMs: number;
  readonly text: string;
}

export interface FirstDifference {
  /** When the runs part: the earlier of the two differing lines. */
  readonly atMs: number;
  /** The position of the differing line among each run's notable lines. */
  readonly index: number;
  /** Each run's line at that position; null when that run has none (it has said nothing more yet). */
  readonly a: TracedLine | null;
  readonly b: TracedLine | null;
}

function same(x: TracedLine, y: TracedLine): boolean {
  return x.atMs === y.atMs && x.text === y.text;
}

/**
 * The first difference between two runs' lines, both complete up to the same time; null when they
 * agree. When one run has a line the other lacks, the other's is null: it said nothing more by
 * then (its next line, if any, comes later).
 */
export function firstDifference(a: readonly TracedLine[], b: readonly TracedLine[]): FirstDifference | null {
  const shared = Math.min(a.length, b.length);
  for (let index = 0; index < shared; index++) {
    const x = a[index]!;
    const y = b[index]!;
    if (!same(x, y)) return { atMs: Math.min(x.atMs, y.atMs), index, a: x, b: y };
  }
  if (a.length === b.length) return null;
  const x = a[shared] ?? null;
  const y = b[shared] ?? null;
  return { atMs: (x ?? y)!.atMs, index: shared, a: x, b: y };
}

/** The notable line an event is told as, or null for the rest. */
export function notableLine(event: TraceEvent): TracedLine | null {
  const { text, notable } = describe(event);
  return notable ? { atMs: event.atMs, text } : null;
}

/** How far a search runs each run between looks at the lines: a second of simulated time. */
const CHUNK_MS = 1000;

/**
 * Runs two scenarios side by side, headless, a second at a time, until their notable lines part
 * or `untilMs` passes. `step` runs one chunk and says whether it is done, so that a caller (the
 * worker) can spread the search over many tasks and stay responsive.
 */
export class DifferenceSearch {
  private readonly lines: [TracedLine[], TracedLine[]] = [[], []];
  private readonly sims: [Simulation, Simulation];
  private atMs = 0;
  /** The answer once found (null: the runs agreed up to `untilMs`); undefined while searching. */
  result: FirstDifference | null | undefined = undefined;

  constructor(
    a: Scenario,
    b: Scenario,
    readonly untilMs: number,
  ) {
    const traced = (side: 0 | 1) => (event: TraceEvent) => {
      const line = notableLine(event);
      if (line) this.lines[side].push(line);
    };
    this.sims = [new Simulation(a, { onTrace: traced(0) }), new Simulation(b, { onTrace: traced(1) })];
  }

  /** How far both runs have been searched. */
  get searchedMs(): number {
    return this.atMs;
  }

  step(): boolean {
    if (this.result !== undefined) return true;
    this.atMs = Math.min(this.atMs + CHUNK_MS, this.untilMs);
    for (const sim of this.sims) sim.runUntil(this.atMs);
    const found = firstDifference(...this.lines);
    if (found) this.result = this.withNextLine(found);
    else if (this.atMs >= this.untilMs) this.result = null;
    return this.result !== undefined;
  }

  /** When one run had said nothing more by then, what it says next (within `untilMs`), so the difference reads both ways. */
  private withNextLine(found: FirstDifference): FirstDifference {
    if (found.a !== null && found.b !== null) return found;
    const side = found.a === null ? 0 : 1;
    const sim = this.sims[side];
    const lines = this.lines[side];
    while (lines.length <= found.index && this.atMs < this.untilMs) {
      this.atMs = Math.min(this.atMs + CHUNK_MS, this.untilMs);
      sim.runUntil(this.atMs);
    }
    const next = lines[found.index] ?? null;
    return side === 0 ? { ...found, a: next } : { ...found, b: next };
  }
}

/** Runs the whole search at once (tests, the command line). */
export function searchFirstDifference(a: Scenario, b: Scenario, untilMs: number): FirstDifference | null {
  const search = new DifferenceSearch(a, b, untilMs);
  while (!search.step());
  return search.result ?? null;
}
