/**
 * Trace events in plain words, for the page's event log, its live region and the CLI timeline.
 * `notable` events are the ones a learner wants to see by default; the rest (each log append,
 * commit and apply) are there on request.
 */
import type { TraceEvent } from './trace';
import { formatLsn } from '../machines/database/wal';

const DATABASE_ROLES = new Set(['primary', 'standby', 'demoted', 'rebuilding']);

export interface Described {
  readonly text: string;
  readonly notable: boolean;
}

/** "12.345 s": simulated time as the page and the CLI show it. */
export function formatMs(atMs: number): string {
  return `${(atMs / 1000).toFixed(3)} s`;
}

function describeFault(e: Extract<TraceEvent, { type: 'fault' }>): string {
  const suffix = e.noop ? ` (no effect: ${e.noop})` : '';
  switch (e.do) {
    case 'crash':
    case 'restart':
    case 'wipe-disk':
    case 'promote':
    case 'switchover':
    case 'restore-backup': {
      const verb = { crash: 'crash', restart: 'restart', 'wipe-disk': 'wipe the disk of', promote: 'promote', switchover: 'switch over to', 'restore-backup': 'restore' }[e.do];
      return `Operator: ${verb} ${e.node ?? 'a node'}${e.from ? ` from ${e.from}` : ''}${suffix}`;
    }
    case 'partition':
      return `Network partitioned into ${(e.groups ?? []).map((g) => `{${g.join(', ')}}`).join(' | ')}${suffix}`;
    case 'cut':
      return `Link ${e.between?.join(' – ') ?? ''} cut${suffix}`;
    case 'heal-link':
      return `Link ${e.between?.join(' – ') ?? ''} healed${suffix}`;
    case 'slow-link':
      return `Link ${e.between?.join(' – ') ?? ''} slowed down${suffix}`;
    case 'heal':
      return `Network healed: every partition and cut link is gone${suffix}`;
    case 'region-down':
      return `Data centre ${e.region ?? ''} went dark${suffix}`;
    case 'region-up':
      return `Data centre ${e.region ?? ''} has power again${suffix}`;
    case 'set':
      return `Setting ${e.path ?? ''} changed to ${JSON.stringify(e.value)}${suffix}`;
    case 'propose':
      return `Client sends command "${e.cmd ?? ''}"${suffix}`;
  }
}

export function describe(e: TraceEvent): Described {
  switch (e.type) {
    case 'fault':
      return { text: describeFault(e), notable: true };
    case 'down':
      return { text: `${e.node} is down: ${e.reason}${e.diskLost ? ' (its data is gone)' : ''}`, notable: true };
    case 'up':
      return { text: `${e.node} is up: ${e.reason}`, notable: e.reason !== 'booted' };
    case 'leader':
      return { text: `${e.node} elected leader, term ${e.term}`, notable: true };
    case 'role': {
      // Database nodes count failovers in epochs (timelines), orchestrators in terms.
      const counter = DATABASE_ROLES.has(e.role) ? 'epoch' : 'term';
      return { text: `${e.node} became ${e.role} in ${counter} ${e.term}: ${e.reason}`, notable: e.role !== 'leader' && e.role !== 'primary' && e.reason !== 'started' };
    }
    case 'vote':
      return { text: `${e.node} voted for ${e.for} in term ${e.term}`, notable: false };
    case 'log':
      return { text: `${e.node} log now holds ${e.entries.length} new entr${e.entries.length === 1 ? 'y' : 'ies'} from index ${e.index}`, notable: false };
    case 'commit':
      if (e.restored !== undefined) return { text: `${e.node} loaded its snapshot: committed and applied up to index ${e.index} (term ${e.term}), ${e.restored.length} entr${e.restored.length === 1 ? 'y' : 'ies'} kept for its agent`, notable: false };
      return { text: `${e.node} committed up to index ${e.index} (term ${e.term})`, notable: false };
    case 'snapshot':
      return { text: `${e.node} compacted its log: entries up to index ${e.index} (term ${e.term}) are now a snapshot, ${e.kept.length} of them kept for its agent`, notable: false };
    case 'install-snapshot':
      return { text: `${e.node} installed the snapshot ${e.from} sent it: its log up to index ${e.index} (term ${e.term}) replaced${e.logAfter > 0 ? `, the ${e.logAfter} entr${e.logAfter === 1 ? 'y' : 'ies'} after it kept` : ''}`, notable: true };
    case 'apply':
      return { text: `${e.node} applied #${e.index} "${e.cmd}"`, notable: false };
    case 'failover':
      if (e.abandoned) return { text: `Failover ${e.from} → ${e.to ?? '?'} (epoch ${e.epoch}) abandoned at ${e.step} by ${e.node}: ${e.text}`, notable: true };
      return { text: `Failover ${e.step}${e.ok ? '' : ' (not done)'} by ${e.node}: ${e.text}`, notable: true };
    case 'backup':
      return { text: describeBackup(e), notable: true };
    case 'restore':
      return { text: e.text, notable: true };
    case 'propose':
      return { text: e.accepted ? `${e.node} took command "${e.cmd}" into its log` : `${e.node} refused command "${e.cmd}": not the leader`, notable: false };
    case 'backend':
      return { text: `${e.node} ${e.in ? 'takes' : 'takes out'} ${e.server} ${e.in ? 'into' : 'of'} rotation: ${e.reason}`, notable: true };
    case 'request-failed':
      return { text: `Request ${e.id} failed${e.server ? ` on ${e.server}` : ''}: ${e.reason}`, notable: false };
    case 'replace':
      return { text: `Replace ${e.dead} (${e.step}): ${e.text}`, notable: true };
    case 'assign':
      return { text: e.text, notable: false };
    case 'unwatched':
      return { text: e.text, notable: true };
    default:
      return describeDatabase(e);
  }
}

function article(kind: 'full' | 'incremental'): string {
  return kind === 'full' ? 'a' : 'an';
}

function describeBackup(e: Extract<TraceEvent, { type: 'backup' }>): string {
  const what = `${e.kind} backup from ${e.from} up to LSN ${formatLsn(e.upToLsn)} (${(e.bytes / 1000).toFixed(1)} kB)`;
  return e.refused ? `${e.store} refused ${article(e.kind)} ${what}: ${e.refused}` : `${e.store} stored ${article(e.kind)} ${what}`;
}

/** Database events (issue: database high availability); kept apart so the switch above stays exhaustive for the orchestrators. */
function describeDatabase(e: TraceEvent): Described {
  const any = e as { type: string; node?: string; on?: boolean; epoch?: number; write?: string; standbys?: readonly string[] };
  if (any.type === 'sync') {
    const standbys = any.standbys ?? [];
    if (standbys.length === 0) return { text: `${any.node} has no synchronous standby: durability degraded, writes are acknowledged on its own disk alone`, notable: true };
    return { text: `${any.node}'s synchronous ${standbys.length === 1 ? 'standby is' : 'standbys are'} ${standbys.join(', ')}: acknowledged writes wait for ${standbys.length === 1 ? 'its' : 'their'} flush`, notable: true };
  }
  if (any.type === 'writable') return { text: `${any.node} ${any.on ? 'accepts' : 'stops accepting'} writes (epoch ${any.epoch})`, notable: true };
  if (any.type === 'promoted') return { text: `${any.node} promoted to primary, epoch ${any.epoch}`, notable: true };
  if (any.type === 'write-ack') return { text: `${any.node} acknowledged write ${any.write}`, notable: false };
  return { text: `${any.node ?? ''} ${any.type}`.trim(), notable: false };
}
