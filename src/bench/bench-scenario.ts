/**
 * The 25-node scenario the page is measured with (frame times in `page-frames.ts`, legibility in
 * the end-to-end stage tests): 5 orchestrators, a load balancer, 14 API servers, a primary with 2
 * standbys (one in the DR region) and 2 backup stores, with writes flowing through the load
 * balancer and proposals to the orchestrators, so messages are always on the wire.
 */
export const BENCH_NODES = 25;

export const BENCH_SCENARIO = {
  version: 1,
  title: `bench: ${BENCH_NODES} nodes, writes and proposals flowing`,
  seed: 7,
  durationMs: 600_000,
  topology: {
    orchestrators: 5,
    election: 'raft',
    servers: 14,
    database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] },
    backups: { incrementalEveryMs: 60_000, fullEveryMs: 600_000, offsite: true },
  },
  workload: { writesPerSec: 20, proposalsPerSec: 5 },
  events: [],
};
