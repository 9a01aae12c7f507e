/** Settings pinned for machine-level tests, so that a change of the product's defaults never changes what these tests mean. */
import type { Settings, Topology } from '../../src/sim/scenario/types';

export const TEST_SETTINGS: Settings = {
  fencing: true,
  quorum: true,
  heartbeatMs: 100,
  electionTimeoutMs: [1000, 2000],
  healthCheck: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3 },
  latencyMs: { local: [1, 5], crossRegion: [60, 90] },
  preVote: false,
  checkQuorum: false,
  lossRate: 0,
  walKeepBytes: 1_048_576,
  leaseMs: 2500,
  baseBackupBytesPerSec: 50_000,
  diskFlushMs: 0,
  serviceMs: 30,
  requestTimeoutMs: 1000,
  provisionMs: 5000,
  replaceDatabaseAfterMs: 30_000,
};

/** A topology for machine-level tests that need one: orchestrators only, no database. */
export const TEST_TOPOLOGY: Topology = {
  orchestrators: 3,
  election: 'raft',
  servers: 0,
  database: null,
  backups: null,
  regions: { primary: 'mumbai', dr: 'singapore' },
};
