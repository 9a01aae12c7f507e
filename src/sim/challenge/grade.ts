/**
 * Judges a run against its challenge, and a handed-in scenario against the teacher's: pure
 * functions of the report and the scenarios, so the page and the CLI say the same.
 */
import type { Report } from '../report/types';
import type { Scenario } from '../scenario/types';
import type { Challenge, ChallengeCheck, ChallengeResult, CheckResult, EditablePart, ReportFigure } from './types';
import { EDITABLE_PARTS } from './types';

export function figureOf(report: Report, figure: ReportFigure): number {
  switch (figure) {
    case 'leaders.count':
      return report.leaders.length;
    case 'primaries.count':
      return report.primaries.length;
    case 'failovers.count':
      return report.failovers.length;
    default: {
      const [group, field] = figure.split('.') as [keyof Report, string];
      return (report[group] as unknown as Record<string, number>)[field]!;
    }
  }
}

function judge(report: Report, check: ChallengeCheck): CheckResult {
  if ('invariant' in check) {
    const found = report.invariants.find((i) => i.name === check.invariant);
    if (!found) return { ok: false, text: `the report has no check named ${check.invariant}` };
    const ok = found.ok === check.ok;
    const now = found.ok ? 'held' : `broke (${found.violations[0]?.message ?? 'see the report'})`;
    return { ok, text: `${check.invariant} ${now}; the goal is that it ${check.ok ? 'holds' : 'breaks'}` };
  }
  const value = figureOf(report, check.figure);
  const wants: string[] = [];
  let ok = true;
  if (check.equals !== undefined) {
    wants.push(`exactly ${check.equals}`);
    ok &&= value === check.equals;
  }
  if (check.atMost !== undefined) {
    wants.push(`at most ${check.atMost}`);
    ok &&= value <= check.atMost;
  }
  if (check.atLeast !== undefined) {
    wants.push(`at least ${check.atLeast}`);
    ok &&= value >= check.atLeast;
  }
  return { ok, text: `${check.figure} is ${value}; the goal is ${wants.join(' and ')}` };
}

export function gradeReport(challenge: Challenge, report: Report): ChallengeResult {
  const checks = challenge.checks.map((check) => judge(report, check));
  return { goal: challenge.goal, passed: checks.every((c) => c.ok), checks };
}

/**
 * What a handed-in scenario changed that the challenge does not allow, in words (empty when it
 * kept to the rules): the events, seed, duration and challenge must be the teacher's, and each
 * part not listed in `editable` too.
 */
export function outOfBounds(challengeScenario: Scenario, handedIn: Scenario): string[] {
  const challenge = challengeScenario.challenge;
  if (!challenge) return ['the reference scenario has no challenge'];
  const fixed: (keyof Scenario)[] = ['seed', 'durationMs', 'events', 'challenge'];
  for (const part of EDITABLE_PARTS) if (!challenge.editable.includes(part as EditablePart)) fixed.push(part);
  return fixed.filter((key) => stable(challengeScenario[key]) !== stable(handedIn[key])).map((key) => `${key} differs from the challenge's; only ${challenge.editable.join(', ') || 'nothing'} may be changed`);
}

/** JSON with object keys sorted, so that two equal values compare equal whatever their key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
