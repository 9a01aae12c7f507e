/**
 * The scenario file's shape as a zod schema: types, ranges, unknown keys
 * and defaults. What depends on more than one field (node ids against the topology, an event's
 * time against the duration, time order, region names, `set` values) is checked in parse.ts,
 * which is the only caller that should run this schema on untrusted input.
 *
 * The schema stays free of transforms so that `z.toJSONSchema` can publish it for editors
 * (public/scenario.schema.json, written by src/cli/write-schema.ts).
 */
import { z } from 'zod';
import { EDITABLE_PARTS, REPORT_FIGURES } from '../challenge/types';
import {
  DEFAULT_BACKUPS,
  DEFAULT_DATABASE,
  DEFAULT_REGIONS,
  DEFAULT_SCENARIO_FIELDS,
  DEFAULT_SETTINGS,
  DEFAULT_SLOW_LINK_LOSS_RATE,
  DEFAULT_STANDBY,
  DEFAULT_TOPOLOGY,
  DEFAULT_WORKLOAD,
} from './defaults';

const DAY_MS = 86_400_000;

/** The bounds of every number and text, for the README and the error messages. */
export const LIMITS = {
  orchestratorsMax: 9,
  serversMax: 24,
  standbysMax: 8,
  durationMsMax: 7 * DAY_MS,
  /** Backup schedules may be longer than a run: a year at most. */
  periodMsMax: 365 * DAY_MS,
  seedMax: 0xffff_ffff,
  titleCharsMax: 200,
  descriptionCharsMax: 5000,
  cmdCharsMax: 200,
  eventsMax: 10_000,
  partitionGroupsMax: 16,
  nodeRefCharsMax: 64,
  regionNameCharsMax: 32,
  healthCheckFailureThresholdMax: 100,
  writesPerSecMax: 1000,
  proposalsPerSecMax: 100,
  /** A workload rate is 0 (none) or at least this: one every 11.6 days, longer than the longest run. Smaller ones cannot be scheduled. */
  ratePerSecMin: 0.000001,
  walKeepBytesMax: 1 << 30,
  bytesPerSecMax: 1_000_000_000,
  diskFlushMsMax: 10_000,
} as const;

// ---- building blocks ----------------------------------------------------------------------

/** A duration of at least 1 ms: the kernel never schedules anything zero time ahead. */
const positiveMs = z.number().int().min(1).max(LIMITS.durationMsMax);
const periodMs = z.number().int().min(1).max(LIMITS.periodMsMax);
const probability = z.number().min(0).max(1);

/** `[min, max]` in milliseconds, 1 ≤ min ≤ max. */
const msRange = z.tuple([positiveMs, positiveMs]).refine(([min, max]) => min <= max, {
  error: (issue) => `${JSON.stringify(issue.input).replaceAll(',', ', ')} has min above max; expected [min, max] with 1 ≤ min ≤ max`,
});

const nodeRef = z.string().min(1).max(LIMITS.nodeRefCharsMax);
const regionRole = z.enum(['primary', 'dr']);
const regionName = z
  .string()
  .max(LIMITS.regionNameCharsMax)
  .regex(/^[a-z][a-z0-9-]*$/, {
    error: (issue) =>
      `expected a short lowercase name (letters, digits and hyphens, starting with a letter; it becomes part of node ids like backup-mumbai), got ${JSON.stringify(issue.input)}`,
  });

// ---- settings ------------------------------------------------------------------------------

/**
 * Each setting a `set` event may change, by its path. The settings object below is built from
 * the same schemas, so the two cannot drift apart.
 */
const settingLeaf = {
  fencing: z.boolean(),
  quorum: z.boolean(),
  heartbeatMs: positiveMs,
  electionTimeoutMs: msRange,
  'healthCheck.intervalMs': positiveMs,
  'healthCheck.timeoutMs': positiveMs,
  'healthCheck.failureThreshold': z.number().int().min(1).max(LIMITS.healthCheckFailureThresholdMax),
  'latencyMs.local': msRange,
  'latencyMs.crossRegion': msRange,
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  lossRate: probability,
  walKeepBytes: z.number().int().min(0).max(LIMITS.walKeepBytesMax),
  leaseMs: positiveMs,
  baseBackupBytesPerSec: z.number().int().min(1).max(LIMITS.bytesPerSecMax),
  diskFlushMs: z.number().int().min(0).max(LIMITS.diskFlushMsMax),
  synchronousModeStrict: z.boolean(),
  serviceMs: positiveMs,
  requestTimeoutMs: positiveMs,
  provisionMs: positiveMs,
  replaceDatabaseAfterMs: positiveMs,
} as const;

export const SETTING_SCHEMAS: Readonly<Record<string, z.ZodType>> = Object.fromEntries(
  Object.entries(settingLeaf).map(([key, schema]) => [`settings.${key}`, schema]),
);
export const SETTING_PATHS = Object.keys(SETTING_SCHEMAS) as [string, ...string[]];

const d = DEFAULT_SETTINGS;
export const SettingsSchema = z.strictObject({
  fencing: settingLeaf.fencing.default(d.fencing).describe('Fence (STONITH) the old primary before promoting.'),
  quorum: settingLeaf.quorum.default(d.quorum).describe("A failover needs a majority's agreement."),
  heartbeatMs: settingLeaf.heartbeatMs.default(d.heartbeatMs),
  electionTimeoutMs: settingLeaf.electionTimeoutMs.default([...d.electionTimeoutMs]),
  healthCheck: z
    .strictObject({
      intervalMs: settingLeaf['healthCheck.intervalMs'].default(d.healthCheck.intervalMs),
      timeoutMs: settingLeaf['healthCheck.timeoutMs'].default(d.healthCheck.timeoutMs),
      failureThreshold: settingLeaf['healthCheck.failureThreshold'].default(d.healthCheck.failureThreshold),
    })
    .prefault({}),
  latencyMs: z
    .strictObject({
      local: settingLeaf['latencyMs.local'].default([...d.latencyMs.local]),
      crossRegion: settingLeaf['latencyMs.crossRegion'].default([...d.latencyMs.crossRegion]),
    })
    .prefault({}),
  preVote: settingLeaf.preVote.default(d.preVote).describe('Raft PreVote: a candidate first asks whether it could win.'),
  checkQuorum: settingLeaf.checkQuorum
    .default(d.checkQuorum)
    .describe('Raft CheckQuorum: a leader that has not heard from a majority for an election timeout steps down.'),
  lossRate: settingLeaf.lossRate.default(d.lossRate).describe('Probability that any one message is lost (0 … 1).'),
  walKeepBytes: settingLeaf.walKeepBytes
    .default(d.walKeepBytes)
    .describe('Bytes of newest WAL a primary keeps for standbys; a standby further behind is rebuilt from a base backup.'),
  leaseMs: settingLeaf.leaseMs
    .default(d.leaseMs)
    .describe('With quorum on, a primary not renewed by the orchestrators (or witness) for this long stops taking writes.'),
  baseBackupBytesPerSec: settingLeaf.baseBackupBytesPerSec
    .default(d.baseBackupBytesPerSec)
    .describe('How fast a base backup copies the data to a standby being rebuilt.'),
  diskFlushMs: settingLeaf.diskFlushMs.default(d.diskFlushMs).describe('How long a database flush to disk takes; 0: at once.'),
  synchronousModeStrict: settingLeaf.synchronousModeStrict
    .default(d.synchronousModeStrict)
    .describe(
      'Synchronous replication with no synchronous standby: false (Patroni\'s default) keeps taking writes with durability degraded; true refuses writes until a synchronous standby is back.',
    ),
  serviceMs: settingLeaf.serviceMs.default(d.serviceMs).describe('How long an API server works on one request.'),
  requestTimeoutMs: settingLeaf.requestTimeoutMs.default(d.requestTimeoutMs).describe('How long the load balancer waits for a server before it fails the request.'),
  provisionMs: settingLeaf.provisionMs.default(d.provisionMs).describe('How long the cloud takes to start a replacement API server, orchestrator or database node.'),
  replaceDatabaseAfterMs: settingLeaf.replaceDatabaseAfterMs
    .default(d.replaceDatabaseAfterMs)
    .describe('With Raft orchestrators, a database node down this long is replaced by a new node (one whose disk is lost, at once).'),
});

// ---- topology ------------------------------------------------------------------------------

const StandbySchema = z.strictObject({
  replication: z.enum(['sync', 'async']).default(DEFAULT_STANDBY.replication),
  region: regionRole.default(DEFAULT_STANDBY.region),
});

const DatabaseSchema = z.strictObject({
  standbys: z
    .array(StandbySchema)
    .max(LIMITS.standbysMax)
    .default([...DEFAULT_DATABASE.standbys])
    .describe('db-2, db-3, … in this order.'),
  witness: z.boolean().default(DEFAULT_DATABASE.witness),
});

const BackupsSchema = z.strictObject({
  incrementalEveryMs: periodMs.default(DEFAULT_BACKUPS.incrementalEveryMs),
  fullEveryMs: periodMs.default(DEFAULT_BACKUPS.fullEveryMs),
  offsite: z.boolean().default(DEFAULT_BACKUPS.offsite).describe('Also keep a copy in the DR region.'),
});

const RegionsSchema = z
  .strictObject({
    primary: regionName.default(DEFAULT_REGIONS.primary),
    dr: regionName.default(DEFAULT_REGIONS.dr),
  })
  .refine((regions) => regions.primary !== regions.dr, { error: 'the two regions need different names' });

const t = DEFAULT_TOPOLOGY;
export const TopologySchema = z.strictObject({
  orchestrators: z.number().int().min(0).max(LIMITS.orchestratorsMax).default(t.orchestrators),
  election: z.enum(['raft', 'bully']).default(t.election),
  servers: z.number().int().min(0).max(LIMITS.serversMax).default(t.servers),
  // null, as in DEFAULT_TOPOLOGY (a test holds the two together).
  database: DatabaseSchema.nullable().default(null).describe('null: no database in this scenario.'),
  backups: BackupsSchema.nullable().default(null).describe('null: no backups.'),
  regions: RegionsSchema.prefault({}).describe('Display names of the two data centres.'),
});

/** So many a second, or 0 for none; a rate between the two is too small to schedule. */
const ratePerSec = (max: number) =>
  z
    .number()
    .min(0)
    .max(max)
    .refine((rate) => rate <= 0 || rate >= LIMITS.ratePerSecMin, {
      message: `must be 0 (none) or at least ${LIMITS.ratePerSecMin.toFixed(6)} a second; a smaller rate is too small to schedule`,
    });

const WorkloadSchema = z.strictObject({
  writesPerSec: ratePerSec(LIMITS.writesPerSecMax).default(DEFAULT_WORKLOAD.writesPerSec),
  proposalsPerSec: ratePerSec(LIMITS.proposalsPerSecMax).default(DEFAULT_WORKLOAD.proposalsPerSec),
  requestsPerSec: ratePerSec(LIMITS.writesPerSecMax)
    .default(DEFAULT_WORKLOAD.requestsPerSec)
    .describe('Read requests per second through the load balancer to the API servers.'),
});

// ---- events --------------------------------------------------------------------------------

const atMs = z.number().int().min(0).max(LIMITS.durationMsMax);
const nodePair = z.tuple([nodeRef, nodeRef]);

function eventOf<Kind extends string, Shape extends z.ZodRawShape>(kind: Kind, shape: Shape) {
  return z.strictObject({ atMs, do: z.literal(kind), ...shape });
}

/** Every event kind, in the order the README lists them. */
export const EVENT_SCHEMAS = {
  crash: eventOf('crash', { node: nodeRef }),
  restart: eventOf('restart', { node: nodeRef }),
  'wipe-disk': eventOf('wipe-disk', { node: nodeRef }),
  partition: eventOf('partition', {
    groups: z.array(z.array(nodeRef).min(1)).min(2).max(LIMITS.partitionGroupsMax),
  }),
  cut: eventOf('cut', { between: nodePair }),
  'heal-link': eventOf('heal-link', { between: nodePair }),
  heal: eventOf('heal', {}),
  'slow-link': eventOf('slow-link', {
    between: nodePair,
    latencyMs: z.union([positiveMs, msRange]).describe('A fixed latency, or [min, max].'),
    lossRate: probability.default(DEFAULT_SLOW_LINK_LOSS_RATE),
  }),
  'region-down': eventOf('region-down', { region: z.string().describe('"primary", "dr", or a region name.') }),
  'region-up': eventOf('region-up', { region: z.string().describe('"primary", "dr", or a region name.') }),
  promote: eventOf('promote', { node: nodeRef }),
  switchover: eventOf('switchover', { node: nodeRef.describe('The standby to hand the primary role to: the primary stops taking writes, the standby catches up, then it is promoted.') }),
  'restore-backup': eventOf('restore-backup', { node: nodeRef, from: nodeRef.describe('A backup-<region> node.') }),
  set: eventOf('set', { path: z.enum(SETTING_PATHS), value: z.unknown() }),
  propose: eventOf('propose', { cmd: z.string().min(1).max(LIMITS.cmdCharsMax) }),
} as const;

export type EventKindName = keyof typeof EVENT_SCHEMAS;
export const EVENT_KINDS = Object.keys(EVENT_SCHEMAS) as EventKindName[];

const eventSchemaList = Object.values(EVENT_SCHEMAS) as [
  (typeof EVENT_SCHEMAS)[EventKindName],
  ...(typeof EVENT_SCHEMAS)[EventKindName][],
];
export const EventSchema = z.discriminatedUnion('do', eventSchemaList);
export type RawEvent = z.output<typeof EventSchema>;

// ---- challenges ----------------------------------------------------------------------------

const bound = z.number().min(-1e12).max(1e12);
const FigureCheckSchema = z
  .strictObject({
    figure: z.enum(REPORT_FIGURES).describe('A number in the report, e.g. writes.lost or rto.unavailableMs.'),
    atMost: bound.optional(),
    atLeast: bound.optional(),
    equals: bound.optional(),
  })
  .refine((check) => check.atMost !== undefined || check.atLeast !== undefined || check.equals !== undefined, {
    error: 'a figure check needs atMost, atLeast or equals',
  });
const InvariantCheckSchema = z.strictObject({
  invariant: z.string().min(1).max(LIMITS.nodeRefCharsMax).describe('A safety check of the report, e.g. single-writer.'),
  ok: z.boolean(),
});
const ChallengeSchema = z.strictObject({
  goal: z.string().min(1).max(500).describe('The goal in words; plain text.'),
  checks: z.array(z.union([FigureCheckSchema, InvariantCheckSchema])).min(1).max(20),
  editable: z
    .array(z.enum(EDITABLE_PARTS))
    .max(EDITABLE_PARTS.length)
    .default(['settings'])
    .describe('What a learner may change to reach the goal; the rest must stay as written.'),
});

// ---- lesson steps --------------------------------------------------------------------------

const LessonStepSchema = z.strictObject({
  text: z.string().min(1).max(1000).describe('What to do or watch now; a markdown subset, sanitized.'),
  node: nodeRef.optional().describe('The node this step points at (an id or a selector).'),
  action: z
    .enum(['crash', 'restart', 'wipe-disk', 'promote', 'switchover', 'partition', 'cut', 'heal-link', 'heal', 'region-down', 'region-up', 'restore-backup', 'propose'])
    .optional()
    .describe('The action that completes this step when the learner performs it (on `node`, if given).'),
  atMs: z.number().int().min(0).max(LIMITS.durationMsMax).optional().describe('The step becomes current when the run reaches this time.'),
});

// ---- the scenario --------------------------------------------------------------------------

const top = DEFAULT_SCENARIO_FIELDS;
export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional().describe('Where editors find this schema; ignored by the playground.'),
  version: z.literal(1),
  title: z.string().max(LIMITS.titleCharsMax).default(top.title).describe('Plain text, never rendered as HTML.'),
  description: z
    .string()
    .max(LIMITS.descriptionCharsMax)
    .default(top.description)
    .describe('What to watch; a markdown subset, sanitized.'),
  seed: z.number().int().min(0).max(LIMITS.seedMax).default(top.seed).describe('Same scenario and seed: the same run.'),
  durationMs: positiveMs.default(top.durationMs).describe('How long `npm run sim` runs it.'),
  topology: TopologySchema.prefault({}),
  settings: SettingsSchema.prefault({}),
  workload: WorkloadSchema.prefault({}),
  events: z.array(EventSchema).max(LIMITS.eventsMax).default([]).describe('The fault script, in time order.'),
  steps: z.array(LessonStepSchema).max(30).optional().describe("A lesson's narrative: what to do or watch, one step at a time."),
  challenge: ChallengeSchema.optional().describe('A goal checked against the report of the run (npm run sim -- FILE --grade).'),
});
export type RawScenario = z.output<typeof ScenarioSchema>;

/** The fields each object of the format accepts, by path pattern (`[]` stands for any index). */
export const FIELDS_AT: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(ScenarioSchema.shape),
  topology: Object.keys(TopologySchema.shape),
  'topology.database': Object.keys(DatabaseSchema.shape),
  'topology.database.standbys.[]': Object.keys(StandbySchema.shape),
  'topology.backups': Object.keys(BackupsSchema.shape),
  'topology.regions': Object.keys(RegionsSchema.shape),
  settings: Object.keys(SettingsSchema.shape),
  'settings.healthCheck': Object.keys(settingsObjectShape('healthCheck')),
  'settings.latencyMs': Object.keys(settingsObjectShape('latencyMs')),
  workload: Object.keys(WorkloadSchema.shape),
};

function settingsObjectShape(key: 'healthCheck' | 'latencyMs'): z.ZodRawShape {
  return (SettingsSchema.shape[key].unwrap() as z.ZodObject).shape;
}

export function eventFields(kind: EventKindName): readonly string[] {
  return Object.keys(EVENT_SCHEMAS[kind].shape);
}

export const SCENARIO_SCHEMA_ID = 'urn:ha-playground:scenario:1';

/** The JSON Schema (draft 2020-12) of a scenario file, for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ScenarioSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'HA Playground scenario, version 1',
    description:
      'A scenario for the HA Playground simulator. Checks beyond this schema — node ids against the topology, event times against durationMs, time order — are made by the playground itself.',
    ...rest,
  };
}
