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
