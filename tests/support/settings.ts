/** Settings pinned for machine-level tests, so that a change of the product's defaults never changes what these tests mean. */
import type { Settings } from '../../src/sim/scenario/types';

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
};
