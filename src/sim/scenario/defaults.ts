/**
 * Every default of the scenario format, in one place: the schema (schema.ts) fills omitted
 * fields from here, the JSON schema publishes them, and the README quotes them. The timings
 * follow etcd's (heartbeat 100 ms, election timeout 1–2 s); the health check is the article's
 * "threshold 3", scaled down so that a failover is watchable.
 *
 * The objects are frozen because a parsed scenario may share them: nothing can mutate a default.
 */
import type { Scenario, Settings, StandbySpec, Topology, Workload } from './types';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_SETTINGS: Settings = deepFreeze({
  fencing: true,
  quorum: true,
  heartbeatMs: 100,
  // Entries sent count as the heartbeat (RaftScope's way): a busy leader sends a third fewer messages.
  appendResetsHeartbeat: true,
  electionTimeoutMs: [1000, 2000],
  healthCheck: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3 },
  latencyMs: { local: [1, 5], crossRegion: [60, 90] },
  preVote: false,
  checkQuorum: false,
  // A lease entry a second: a snapshot every 10,000 entries is about every 2.8 simulated hours,
  // so no lesson or short run ever compacts, and a day's log stays under 10,000 entries a node.
  raftSnapshotEvery: 10_000,
  lossRate: 0,
  // The database's, scaled for watching. 1 MiB of WAL is ~50 s of the default 20 writes/s at
  // 100 bytes a record (PostgreSQL's wal_keep_size defaults to 0; we keep some so that a short
  // restart catches up). The lease is Patroni's rule in our scale: longer than a health-check
  // interval (1 s) so one lost check is harmless, shorter than the failure detection
  // (interval × threshold = 3 s) so the old primary stops before a new one is promoted.
  // A base backup of 50 kB/s makes a minute of writes take a couple of seconds to copy.
  walKeepBytes: 1_048_576,
  leaseMs: 2500,
  baseBackupBytesPerSec: 50_000,
  diskFlushMs: 0,
  // Patroni's default: synchronous_mode on, synchronous_mode_strict off. With no synchronous
  // standby left the primary goes on acknowledging writes (durability degraded, said so).
  synchronousModeStrict: false,
  // The stateless tier: a request takes 30 ms of a server's time; the load balancer gives up on
  // one after 1 s; a replacement container is up 5 s after it is asked for (a VM would take a minute).
  serviceMs: 30,
  requestTimeoutMs: 1000,
  provisionMs: 5000,
  // A database node down this long is replaced by a new one (a lost disk is replaced at once). Long
  // enough that a crashed node restarted by hand keeps its place; short against a day of outage.
  replaceDatabaseAfterMs: 30_000,
});

export const DEFAULT_REGIONS: Topology['regions'] = deepFreeze({ primary: 'mumbai', dr: 'singapore' });

export const DEFAULT_TOPOLOGY: Topology = deepFreeze({
  orchestrators: 3,
  election: 'raft',
  servers: 3,
  database: null,
  backups: null,
  regions: DEFAULT_REGIONS,
});

/** Used for each field left out of a `topology.database` object. PostgreSQL standbys are async unless configured otherwise. */
export const DEFAULT_STANDBY: StandbySpec = deepFreeze({ replication: 'async', region: 'primary' });
export const DEFAULT_DATABASE: NonNullable<Topology['database']> = deepFreeze({ standbys: [], witness: false });

/** Used for each field left out of a `topology.backups` object: daily incrementals, weekly fulls, no offsite copy. */
export const DEFAULT_BACKUPS: NonNullable<Topology['backups']> = deepFreeze({
  incrementalEveryMs: 86_400_000,
  fullEveryMs: 604_800_000,
  offsite: false,
});

export const DEFAULT_WORKLOAD: Workload = deepFreeze({ writesPerSec: 0, proposalsPerSec: 0, requestsPerSec: 0 });

/** The top-level fields other than `version`, `topology`, `settings`, `workload` and `events`. */
export const DEFAULT_SCENARIO_FIELDS: Pick<Scenario, 'title' | 'description' | 'seed' | 'durationMs'> = deepFreeze({
  title: 'Untitled scenario',
  description: '',
  seed: 1,
  durationMs: 60_000,
});

/** The `slow-link` event's `lossRate` when it is left out. */
export const DEFAULT_SLOW_LINK_LOSS_RATE = 0;
