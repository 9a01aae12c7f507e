/** The scenario opened when nothing else is asked for and the bundled list cannot be read. */
export const BUILTIN_SCENARIO = {
  version: 1,
  title: 'Three orchestrators elect a leader',
  description: 'Three Raft nodes start as followers; the first whose election timer fires asks the others for votes.',
  seed: 7,
  durationMs: 60_000,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: null, backups: null },
  events: [],
} as const;
