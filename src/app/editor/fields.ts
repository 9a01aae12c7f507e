/**
 * The editor's form: which fields of a scenario it shows, in what words, and where each one's
 * default, bounds and choices come from. Defaults are read from the format's defaults
 * (src/sim/scenario/defaults.ts); bounds, choices and descriptions from the JSON Schema that
 * schema.ts publishes, which is built from the very schema the playground validates with. No
 * number is written twice, so the form cannot drift from the format.
 */
import {
  DEFAULT_BACKUPS,
  DEFAULT_DATABASE,
  DEFAULT_SCENARIO_FIELDS,
  DEFAULT_SETTINGS,
  DEFAULT_STANDBY,
  DEFAULT_TOPOLOGY,
  DEFAULT_WORKLOAD,
  scenarioJsonSchema,
} from '../../sim';

/** Where a value sits in a scenario object: `['settings', 'healthCheck', 'intervalMs']`. */
export type Path = readonly (string | number)[];

/**
 * `int` and `number` are typed as text (so a half-typed value stays on screen and gets an error
 * rather than vanishing); `range` is a `[min, max]` pair shown as two inputs.
 */
export type FieldKind = 'int' | 'number' | 'text' | 'bool' | 'choice' | 'range';

export interface Field {
  readonly path: Path;
  readonly label: string;
  readonly kind: FieldKind;
  /** Shown after the input: `ms`, `bytes`, `/s`. */
  readonly unit?: string;
}

export interface Section {
  readonly title: string;
  /** Errors under this path that no field claims (an unknown key) are shown at the top of the section. */
  readonly path: Path;
  readonly fields: readonly Field[];
}

/** What the format says about one field. */
export interface FieldFacts {
  readonly defaultValue: unknown;
  readonly min: number | null;
  readonly max: number | null;
  readonly maxLength: number | null;
  readonly choices: readonly string[];
  readonly description: string;
}

// ---- the catalogue ---------------------------------------------------------------------------

export const SCENARIO_FIELDS: Section = {
  title: 'Scenario',
  path: [],
  fields: [
    { path: ['title'], label: 'Title', kind: 'text' },
    { path: ['seed'], label: 'Seed', kind: 'int' },
    { path: ['durationMs'], label: 'Duration', kind: 'int', unit: 'ms' },
  ],
};

export const TOPOLOGY_FIELDS: Section = {
  title: 'Topology',
  path: ['topology'],
  fields: [
    { path: ['topology', 'orchestrators'], label: 'Orchestrators', kind: 'int' },
    { path: ['topology', 'election'], label: 'Election', kind: 'choice' },
    { path: ['topology', 'servers'], label: 'API servers', kind: 'int' },
    { path: ['topology', 'regions', 'primary'], label: 'Primary region', kind: 'text' },
    { path: ['topology', 'regions', 'dr'], label: 'DR region', kind: 'text' },
  ],
};

export const DATABASE_FIELDS: readonly Field[] = [{ path: ['topology', 'database', 'witness'], label: 'Witness (a tie-breaker for failover decisions)', kind: 'bool' }];

/** The fields of standby `index` (db-2 is index 0). */
export function standbyFields(index: number): readonly Field[] {
  const at = ['topology', 'database', 'standbys', index];
  return [
    { path: [...at, 'replication'], label: 'Replication', kind: 'choice' },
    { path: [...at, 'region'], label: 'Region', kind: 'choice' },
  ];
}

export const BACKUP_FIELDS: readonly Field[] = [
  { path: ['topology', 'backups', 'incrementalEveryMs'], label: 'Incremental backup every', kind: 'int', unit: 'ms' },
  { path: ['topology', 'backups', 'fullEveryMs'], label: 'Full backup every', kind: 'int', unit: 'ms' },
  { path: ['topology', 'backups', 'offsite'], label: 'Offsite copy in the DR region', kind: 'bool' },
];

/** A field of the simulation's settings, by its path below `settings` (`healthCheck.intervalMs`). */
function setting(path: string, label: string, kind: FieldKind, unit?: string): Field {
  return { path: ['settings', ...path.split('.')], label, kind, ...(unit === undefined ? {} : { unit }) };
}

function section(title: string, path: Path, fields: readonly Field[]): Section {
  return { title, path, fields };
}

export const SETTINGS_SECTIONS: readonly Section[] = [
  section('Failover safety', ['settings'], [
    setting('fencing', 'Fencing', 'bool'),
    setting('quorum', 'Quorum', 'bool'),
    setting('leaseMs', 'Primary lease', 'int', 'ms'),
  ]),
  section('Raft', ['settings'], [
    setting('heartbeatMs', 'Heartbeat', 'int', 'ms'),
    setting('appendResetsHeartbeat', 'Entries count as heartbeat', 'bool'),
    setting('electionTimeoutMs', 'Election timeout', 'range', 'ms'),
    setting('preVote', 'PreVote', 'bool'),
    setting('checkQuorum', 'CheckQuorum', 'bool'),
    setting('raftSnapshotEvery', 'Snapshot every', 'int', 'entries'),
  ]),
  section('Health checks', ['settings', 'healthCheck'], [
    setting('healthCheck.intervalMs', 'Interval', 'int', 'ms'),
    setting('healthCheck.timeoutMs', 'Timeout', 'int', 'ms'),
    setting('healthCheck.failureThreshold', 'Failures before failover', 'int'),
  ]),
  section('Network', ['settings', 'latencyMs'], [
    setting('latencyMs.local', 'Latency in a data centre', 'range', 'ms'),
    setting('latencyMs.crossRegion', 'Latency between data centres', 'range', 'ms'),
    setting('lossRate', 'Message loss rate', 'number'),
  ]),
  section('Database', ['settings'], [
    setting('walKeepBytes', 'WAL kept for standbys', 'int', 'bytes'),
    setting('baseBackupBytesPerSec', 'Base backup speed', 'int', 'bytes/s'),
    setting('diskFlushMs', 'Disk flush', 'int', 'ms'),
    setting('synchronousModeStrict', 'Refuse writes without a synchronous standby (strict)', 'bool'),
  ]),
  section('API servers and provisioning', ['settings'], [
    setting('serviceMs', 'Work per request', 'int', 'ms'),
    setting('requestTimeoutMs', 'Load balancer timeout', 'int', 'ms'),
    setting('provisionMs', 'Time to provision a replacement', 'int', 'ms'),
    setting('replaceDatabaseAfterMs', 'Replace a database node down for', 'int', 'ms'),
  ]),
];

export const WORKLOAD_FIELDS: Section = {
  title: 'Workload',
  path: ['workload'],
  fields: [
    { path: ['workload', 'writesPerSec'], label: 'Client writes', kind: 'number', unit: '/s' },
    { path: ['workload', 'proposalsPerSec'], label: 'Commands to the orchestrators', kind: 'number', unit: '/s' },
    { path: ['workload', 'requestsPerSec'], label: 'Read requests', kind: 'number', unit: '/s' },
  ],
};

/** Every field of the form in its order; the database's (with its `standbys`) and the backups' only while they are on. */
export function formFields(on: { readonly database: boolean; readonly standbys: number; readonly backups: boolean }): readonly Field[] {
  return [
    ...SCENARIO_FIELDS.fields,
    ...TOPOLOGY_FIELDS.fields,
    ...(on.database ? [...DATABASE_FIELDS, ...Array.from({ length: on.standbys }, (_, i) => standbyFields(i)).flat()] : []),
    ...(on.backups ? BACKUP_FIELDS : []),
    ...SETTINGS_SECTIONS.flatMap((s) => s.fields),
    ...WORKLOAD_FIELDS.fields,
  ];
}

/** Paths whose own errors (an object-level rule, an unknown key) get a place in the form. */
export const GROUP_PATHS: readonly Path[] = [
  ['topology'],
  ['topology', 'regions'],
  ['topology', 'database'],
  ['topology', 'database', 'standbys'],
  ['topology', 'backups'],
  ['settings'],
  ['settings', 'healthCheck'],
  ['settings', 'latencyMs'],
  ['workload'],
];

// ---- what the format says ----------------------------------------------------------------------

const DEFAULTS: Readonly<Record<string, unknown>> = {
  ...DEFAULT_SCENARIO_FIELDS,
  topology: DEFAULT_TOPOLOGY,
  settings: DEFAULT_SETTINGS,
  workload: DEFAULT_WORKLOAD,
};

/** Reads a path in plain JSON; anything missing on the way gives undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** The value the playground uses when the field is left out. */
export function defaultAt(path: Path): unknown {
  const [head, part, ...rest] = path;
  if (head === 'topology' && part === 'database' && rest.length > 0) {
    if (rest[0] === 'standbys' && rest.length > 2) return valueAt(DEFAULT_STANDBY, rest.slice(2));
    return valueAt(DEFAULT_DATABASE, rest);
  }
  if (head === 'topology' && part === 'backups' && rest.length > 0) return valueAt(DEFAULT_BACKUPS, rest);
  return valueAt(DEFAULTS, path);
}

type JsonSchemaNode = Readonly<Record<string, unknown>>;

let schemaRoot: JsonSchemaNode | null = null;

function schema(): JsonSchemaNode {
  schemaRoot ??= scenarioJsonSchema();
  return schemaRoot;
}

function asNode(value: unknown): JsonSchemaNode | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchemaNode) : null;
}

/** `anyOf: [object, null]` (a field that may be null) stands for its non-null branch. */
function solid(node: JsonSchemaNode | null): JsonSchemaNode | null {
  const anyOf = node?.anyOf;
  if (!Array.isArray(anyOf)) return node;
  return asNode(anyOf.find((branch) => asNode(branch)?.type !== 'null'));
}

/** The JSON Schema node that describes the value at `path`, or null. */
export function schemaAt(path: Path): JsonSchemaNode | null {
  let node: JsonSchemaNode | null = schema();
  for (const key of path) {
    node = solid(node);
    if (!node) return null;
    if (typeof key === 'number') {
      const tuple = node.prefixItems;
      node = Array.isArray(tuple) ? asNode(tuple[key]) : asNode(node.items);
    } else {
      node = asNode(asNode(node.properties)?.[key]);
    }
  }
  return solid(node);
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

export function factsOf(field: Field): FieldFacts {
  // A range's bounds are those of its elements.
  const node = schemaAt(field.kind === 'range' ? [...field.path, 0] : field.path);
  const whole = field.kind === 'range' ? schemaAt(field.path) : node;
  return {
    defaultValue: defaultAt(field.path),
    min: numberOr(node?.minimum),
    max: numberOr(node?.maximum),
    maxLength: numberOr(node?.maxLength),
    choices: Array.isArray(node?.enum) ? node.enum.filter((c): c is string => typeof c === 'string') : [],
    description: typeof whole?.description === 'string' ? whole.description : '',
  };
}

/** How many standbys the format allows. */
export function standbysMax(): number {
  return numberOr(schemaAt(['topology', 'database', 'standbys'])?.maxItems) ?? 0;
}

/** "86 400 000 ms" reads better as "1 day": a hint beside the big periods. */
export function humanMs(ms: number): string {
  const units: readonly [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) {
      const count = Math.round((ms / size) * 100) / 100;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

/** Big numbers with thousands separators ("86,400,000"); small ones as they are typed. */
function shown(n: number): string {
  return Math.abs(n) >= 10_000 ? n.toLocaleString('en-US') : String(n);
}

/** The line under a field: what it is, its bounds and its default. */
export function hintOf(field: Field, facts: FieldFacts): string {
  const parts: string[] = [];
  const unit = field.unit ? ` ${field.unit}` : '';
  if (facts.description) parts.push(facts.description.replace(/\.$/, ''));
  if (facts.min !== null && facts.max !== null) {
    const human = field.unit === 'ms' && facts.max >= 60_000 ? ` (${humanMs(facts.max)})` : '';
    parts.push(`${shown(facts.min)} to ${shown(facts.max)}${unit}${human}`);
  } else if (facts.maxLength !== null) parts.push(`at most ${facts.maxLength} characters`);
  const d = facts.defaultValue;
  if (field.kind === 'bool') parts.push(`default ${d === true ? 'on' : 'off'}`);
  else if (Array.isArray(d)) parts.push(`default ${d.map((v) => (typeof v === 'number' ? shown(v) : String(v))).join(' to ')}${unit}`);
  else if (typeof d === 'number') parts.push(`default ${shown(d)}${unit}${field.unit === 'ms' && d >= 60_000 ? ` (${humanMs(d)})` : ''}`);
  else if (typeof d === 'string' && d !== '') parts.push(`default ${d}`);
  return parts.join(' · ');
}
