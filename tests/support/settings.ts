/**
 * Settings and a topology for machine-level tests: the product's defaults (src/sim/scenario/defaults.ts),
 * the one place they are written. A change of a default is seen by the README's table first
 * (tests/unit/scenario/defaults.test.ts holds the two equal), then by the machine tests that depend on it.
 */
import { DEFAULT_SETTINGS, DEFAULT_TOPOLOGY } from '../../src/sim/scenario/defaults';
import type { Settings, Topology } from '../../src/sim/scenario/types';

export const TEST_SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  // Today's behaviour without a synchronous standby (writes wait): the tests written before the
  // degraded mode keep their meaning; tests of the degraded mode turn it off themselves.
  synchronousModeStrict: true,
};

/** A topology for machine-level tests that need one: orchestrators only, no API servers, no database. */
export const TEST_TOPOLOGY: Topology = { ...DEFAULT_TOPOLOGY, servers: 0 };
