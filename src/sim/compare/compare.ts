/**
 * A strategy comparison: the same disaster against every strategy, each measured by running it,
 * and one sentence that reads the table. The runs go one at a time (`runStrategy`) so that a host
 * can report progress and stay responsive between them; `runComparison` does them all at once.
 */
import { duration, listOf, measureRun, type ComparisonRow } from './measure';
import {
  DAY_MS,
  DISASTER_AT_MS,
  HOUR_MS,
  OPERATOR_DELAY_MS,
  STRATEGY_IDS,
  WRITES_PER_SEC,
  comparisonScenario,
  disasterOf,
  strategyOf,
  type DisasterId,
  type StrategyId,
} from './scenarios';

export type { ComparisonRow } from './measure';
// What the worker needs beside the runs, loaded with them: its own first download holds no strategy.
export { comparisonScenario, isDisasterId, STRATEGY_IDS, strategyOf } from './scenarios';

/** The compressed clock, for the page and the CLI to state beside the figures. */
export interface TimeScale {
  readonly hourMs: number;
  readonly dayMs: number;
  readonly disasterAtMs: number;
  readonly operatorDelayMs: number;
  readonly writesPerSec: number;
}

export interface Comparison {
  readonly disaster: DisasterId;
  readonly disasterLabel: string;
  readonly rows: readonly ComparisonRow[];
  /** One sentence computed from the rows. */
  readonly reading: string;
  readonly scale: TimeScale;
}

export const TIME_SCALE: TimeScale = {
  hourMs: HOUR_MS,
  dayMs: DAY_MS,
  disasterAtMs: DISASTER_AT_MS,
  operatorDelayMs: OPERATOR_DELAY_MS,
  writesPerSec: WRITES_PER_SEC,
};

export function runStrategy(strategy: StrategyId, disaster: DisasterId): ComparisonRow {
  return measureRun(strategy, comparisonScenario(strategy, disaster));
}

export function comparisonOf(disaster: DisasterId, rows: readonly ComparisonRow[]): Comparison {
  return { disaster, disasterLabel: disasterOf(disaster).label, rows, reading: readingOf(rows), scale: TIME_SCALE };
}

export function runComparison(disaster: DisasterId): Comparison {
  return comparisonOf(
    disaster,
    STRATEGY_IDS.map((strategy) => runStrategy(strategy, disaster)),
  );
}

function phraseOf(row: ComparisonRow): string {
  return strategyOf(row.strategy).phrase;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lostNothing(row: ComparisonRow): boolean {
  return row.rpoWrites === 0 && row.lostWrites === 0;
}

/**
 * "Only the local sync standby lost nothing; daily backups lost the most …": which strategies
 * lost nothing, which lost the most, which had writes confirmed again soonest, and any that never did.
 */
export function readingOf(rows: readonly ComparisonRow[]): string {
  if (rows.length === 0) return '';
  const parts: string[] = [];
  const safe = rows.filter(lostNothing);
  if (safe.length === 0) parts.push('Every strategy lost acknowledged writes');
  else if (safe.length === rows.length) parts.push('No strategy lost an acknowledged write');
  else parts.push(`${safe.length === 1 ? 'Only ' : ''}${listOf(safe.map(phraseOf))} lost nothing`);

  const worst = rows.reduce((a, b) => (b.rpoWrites > a.rpoWrites ? b : a));
  if (worst.rpoWrites > 0) parts.push(`${phraseOf(worst)} lost the most, ${worst.rpoWrites} writes (${duration(worst.rpoMs)})`);

  const resumed = rows.filter((r) => r.resumedAfterMs !== null);
  if (resumed.length > 0) {
    const soonestMs = Math.min(...resumed.map((r) => r.resumedAfterMs!));
    const soonest = resumed.filter((r) => r.resumedAfterMs === soonestMs).map(phraseOf);
    parts.push(`writes were confirmed again soonest with ${listOf(soonest)}, after ${duration(soonestMs)}`);
  }
  const never = rows.filter((r) => r.resumedAfterMs === null).map(phraseOf);
  if (never.length > 0) parts.push(`with ${listOf(never)} no write was confirmed again before the run ended`);
  return `${capitalized(parts.join('; '))}.`;
}
