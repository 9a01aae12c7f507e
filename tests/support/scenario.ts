/** Test helpers: build a valid scenario from a partial raw one, and read facts off a trace. */
import { readFileSync } from 'node:fs';
import { parseScenario, parseScenarioText } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';

export function scenario(raw: Record<string, unknown>): Scenario {
  const parsed = parseScenario({ version: 1, title: 'test', seed: 1, durationMs: 20_000, ...raw });
  if (!parsed.ok) throw new Error(`test scenario is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

/** What a database test scenario's system is: its standbys and load; the rest as `scenario` fills it in. */
export interface DatabaseSetup {
  readonly durationMs: number;
  readonly standbys: readonly Record<string, unknown>[];
  readonly writesPerSec: number;
  /** None by default: the database tier alone, promoted by hand (or by a witness). */
  readonly orchestrators?: number;
  readonly election?: 'raft' | 'bully';
  readonly witness?: boolean;
  readonly seed?: number;
  readonly title?: string;
  readonly settings?: Record<string, unknown>;
}

/** A database tier (db-1 primary, then the standbys) without API servers, clients writing at `writesPerSec`, and what happens to it. */
export function databaseScenario(setup: DatabaseSetup, events: readonly Record<string, unknown>[]): Scenario {
  const { standbys, orchestrators = 0, election, witness, writesPerSec, ...rest } = setup;
  const database = witness === undefined ? { standbys } : { standbys, witness };
  const topology = election === undefined ? { orchestrators, servers: 0, database } : { orchestrators, election, servers: 0, database };
  return scenario({ ...rest, topology, workload: { writesPerSec }, events });
}

/** A bundled scenario (public/scenarios/ID.json), parsed. */
export function preset(id: string): Scenario {
  const parsed = parseScenarioText(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`bundled scenario ${id} is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

export function leaders(trace: readonly TraceEvent[]): { atMs: number; node: string; term: number }[] {
  return trace.flatMap((e) => (e.type === 'leader' ? [{ atMs: e.atMs, node: e.node, term: e.term }] : []));
}

export function brokenInvariants(report: { invariants: { name: string; ok: boolean; violations: { message: string }[] }[] }): string[] {
  return report.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.violations.map((v) => v.message).join('; ')}`);
}
