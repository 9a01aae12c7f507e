/**
 * The scenarios of a strategy comparison: one disaster, struck at the same moment against five
 * ways of protecting the same database under the same load and seed. Each scenario is written
 * as the JSON a person would write in a file and goes through `parseScenario`, so its defaults are
 * filled exactly as for a file, and any scenario here can be saved and replayed with `npm run sim`.
 *
 * Backup schedules of a day are too long to simulate write by write in a second, so time is
 * compressed by one rule, `HOUR_MS`: an "hour" of a real schedule is 5 s of simulated time and a
 * "day" two minutes. That rule sets the backup periods, when the disaster strikes and how soon an
 * operator acts. Everything else (health checks, replication, copying a backup) keeps its normal
 * simulated speed; the page says so beside the figures.
 */
import { formatErrors, parseScenario } from '../scenario/parse';
import type { Scenario } from '../scenario/types';

/** One "hour" of a real schedule in simulated milliseconds. */
export const HOUR_MS = 5_000;
export const DAY_MS = 24 * HOUR_MS;

/** The load every run carries: client writes per second, each a 100-byte WAL record. */
export const WRITES_PER_SEC = 20;
export const COMPARE_SEED = 2024;

/**
 * When the disaster strikes: half a day and half an hour after the first nightly backup, so the
 * daily backup is half a day old and the hourly one half an hour old, the average case of each.
 */
export const DISASTER_AT_MS = DAY_MS + 12.5 * HOUR_MS;
/** An operator on call takes an "hour" to act: restore a backup, promote a replica, replace a disk. */
export const OPERATOR_DELAY_MS = HOUR_MS;
/** The primary data centre stays dark for eight "hours" in the region disaster. */
export const OUTAGE_MS = 8 * HOUR_MS;
/** How long each run goes on after the disaster: time to recover and be seen to write again. */
export const AFTER_DISASTER_MS = 12 * HOUR_MS;

export const STRATEGY_IDS = ['daily-backups', 'hourly-backups', 'sync-standby', 'async-standby', 'dr-replica'] as const;
export type StrategyId = (typeof STRATEGY_IDS)[number];

export const DISASTER_IDS = ['disk', 'region'] as const;
export type DisasterId = (typeof DISASTER_IDS)[number];

export interface Strategy {
  readonly id: StrategyId;
  /** A short name for a table row or a chart label. */
  readonly label: string;
  /** The name inside a sentence: "the local sync standby". */
  readonly phrase: string;
  /** One sentence: what protects the data. */
  readonly protection: string;
}

export interface Disaster {
  readonly id: DisasterId;
  readonly label: string;
  readonly description: string;
}

export const STRATEGIES: readonly Strategy[] = [
  {
    id: 'daily-backups',
    label: 'Daily backups',
    phrase: 'daily backups',
    protection: 'one database; a backup every "day" (2 min here) to a store in the same data centre and a copy offsite',
  },
  {
    id: 'hourly-backups',
    label: 'Hourly backups',
    phrase: 'hourly backups',
    protection: 'one database; a backup every "hour" (5 s here) to a store in the same data centre and a copy offsite',
  },
  {
    id: 'sync-standby',
    label: 'Local sync standby',
    phrase: 'the local sync standby',
    protection: 'a synchronous standby in the same data centre; three orchestrators fail over automatically',
  },
  {
    id: 'async-standby',
    label: 'Local async standby',
    phrase: 'the local async standby',
    protection: 'an asynchronous standby in the same data centre; three orchestrators fail over automatically',
  },
  {
    id: 'dr-replica',
    label: 'Cross-region replica',
    phrase: 'the cross-region replica',
    protection: 'an asynchronous replica in the disaster-recovery region; three orchestrators fail over automatically',
  },
];

export const DISASTERS: readonly Disaster[] = [
  { id: 'disk', label: "The primary's disk fails", description: "db-1's disk fails and its data is gone for good" },
  {
    id: 'region',
    label: 'The primary data centre goes dark',
    description: 'the primary data centre loses power for eight "hours" (40 s here), with every node and backup store in it',
  },
];

export function strategyOf(id: StrategyId): Strategy {
  return STRATEGIES.find((s) => s.id === id)!;
}

export function disasterOf(id: DisasterId): Disaster {
  return DISASTERS.find((d) => d.id === id)!;
}

export function isDisasterId(value: unknown): value is DisasterId {
  return typeof value === 'string' && (DISASTER_IDS as readonly string[]).includes(value);
}

type Json = Record<string, unknown>;

function isBackup(strategy: StrategyId): boolean {
  return strategy === 'daily-backups' || strategy === 'hourly-backups';
}

/** The topology: only `database` and `backups` differ between strategies (not between disasters). */
function topologyOf(strategy: StrategyId): Json {
  const base = { orchestrators: 3, election: 'raft', servers: 0, regions: { primary: 'mumbai', dr: 'singapore' } };
  switch (strategy) {
    case 'daily-backups':
    case 'hourly-backups': {
      const everyMs = strategy === 'daily-backups' ? DAY_MS : HOUR_MS;
      // In the region disaster the operator restores onto a new machine in the DR region (db-2).
      return { ...base, database: { standbys: [] }, backups: { incrementalEveryMs: everyMs, fullEveryMs: 7 * DAY_MS, offsite: true } };
    }
    case 'sync-standby':
      return { ...base, database: { standbys: [{ replication: 'sync', region: 'primary' }] } };
    case 'async-standby':
      return { ...base, database: { standbys: [{ replication: 'async', region: 'primary' }] } };
    case 'dr-replica':
      return { ...base, database: { standbys: [{ replication: 'async', region: 'dr' }] } };
  }
}

/** The disaster itself, the same in every run. */
function disasterEvents(disaster: DisasterId): Json[] {
  if (disaster === 'disk') return [{ atMs: DISASTER_AT_MS, do: 'wipe-disk', node: 'db-1' }];
  return [
    { atMs: DISASTER_AT_MS, do: 'region-down', region: 'primary' },
    { atMs: DISASTER_AT_MS + OUTAGE_MS, do: 'region-up', region: 'primary' },
  ];
}

/**
 * What the operator does, an "hour" after the disaster. The orchestrators' automatic failover
 * needs no event; the operator's own steps are scenario events like any click.
 */
function operatorEvents(strategy: StrategyId, disaster: DisasterId): Json[] {
  const atMs = DISASTER_AT_MS + OPERATOR_DELAY_MS;
  if (isBackup(strategy)) {
    // The disk: restore the failed server in place from the local store. The data centre: restore
    // onto a new server in the DR region (provisioned by the restore) from the offsite copy, the only one that can be read.
    return disaster === 'disk'
      ? [{ atMs, do: 'restore-backup', node: 'db-1', from: 'backup-mumbai' }]
      : [{ atMs, do: 'restore-backup', node: 'db-2', from: 'backup-singapore' }];
  }
  // The orchestrators live in the primary data centre: in the dark they promote nobody, so
  // the operator promotes the replica in the DR region. Local standbys are dark with the primary.
  if (disaster === 'region') return strategy === 'dr-replica' ? [{ atMs, do: 'promote', node: 'db-2' }] : [];
  // After an automatic failover the operator replaces the failed disk: db-1 starts empty and
  // rebuilds from the new primary as its standby (before the orchestrators would replace it).
  return [{ atMs, do: 'restart', node: 'db-1' }];
}

/** The scenario as JSON, the same object a file for `npm run sim` would hold. */
export function comparisonScenarioJson(strategy: StrategyId, disaster: DisasterId): Json {
  const s = strategyOf(strategy);
  const d = disasterOf(disaster);
  return {
    version: 1,
    title: `${d.label}: ${s.label.toLowerCase()}`,
    description:
      `Part of a strategy comparison: ${d.description} at ${DISASTER_AT_MS / 1000} s, under ${WRITES_PER_SEC} writes a second. ` +
      `Protection: ${s.protection}. Time is compressed: an "hour" of a real schedule is ${HOUR_MS / 1000} s here, and the operator acts an "hour" after the disaster.`,
    seed: COMPARE_SEED,
    durationMs: DISASTER_AT_MS + AFTER_DISASTER_MS,
    topology: topologyOf(strategy),
    workload: { writesPerSec: WRITES_PER_SEC },
    // A stable sort keeps the file order of events at the same millisecond.
    events: [...disasterEvents(disaster), ...operatorEvents(strategy, disaster)].sort((a, b) => Number(a['atMs']) - Number(b['atMs'])),
  };
}

/** The parsed scenario; a builder that wrote an invalid one is a bug, told loudly. */
export function comparisonScenario(strategy: StrategyId, disaster: DisasterId): Scenario {
  const parsed = parseScenario(comparisonScenarioJson(strategy, disaster));
  if (!parsed.ok) throw new Error(`the ${strategy} scenario for ${disaster} is invalid:\n${formatErrors(parsed.errors)}`);
  return parsed.scenario;
}
