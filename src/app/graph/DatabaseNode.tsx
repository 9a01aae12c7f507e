/**
 * A database node on the graph, drawn as a cylinder: its role (shape, colour and word), its epoch,
 * how far its WAL is flushed, and for a standby how far it trails the primary. It selects only
 * its own state (and its own row of the primary's replication table) from the store.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../sim';
import { useSim } from '../store/sim-store';
import { NodeShell, RoleBadge } from './NodeShell';
import type { SimNodeData } from './OrchestratorNode';
import { LifeLine, lifeLabel } from './LifeLine';
import { roleLook } from './roles';
import { lifeNote } from './services';

/** Every client write is one WAL record of this many bytes (the engine's WAL_RECORD_BYTES). */
const WAL_RECORD_BYTES = 100;

/** How many bytes `id` trails the primary by, as the primary that streams to it measures it. */
export function lagFromPrimary(nodesById: Readonly<Record<string, NodeState>>, id: string): number | null {
  for (const other of Object.values(nodesById)) {
    if (!other.up || other.view.role !== 'primary') continue;
    const row = other.view.replication?.find((r) => r.standby === id);
    if (row) return row.lagBytes;
  }
  return null;
}

export function formatBytes(bytes: number): string {
  if (bytes < 10_000) return `${bytes} B`;
  if (bytes < 10_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${Math.round(bytes / 1_000_000)} MB`;
}

/** "7 writes": WAL bytes as the client writes a learner can count. */
export function writeCount(bytes: number): string {
  const writes = Math.round(bytes / WAL_RECORD_BYTES);
  return `${writes} write${writes === 1 ? '' : 's'}`;
}

/** "700 B (7 writes)": the lag in bytes and in writes. */
export function lagWords(bytes: number): string {
  return `${formatBytes(bytes)} (${writeCount(bytes)})`;
}

function text(node: NodeState, key: string): string | null {
  const value = node.view.detail[key];
  return value === undefined || value === null ? null : String(value);
}

/** The line under the LSN: what this node is doing for writes, in a few words. */
function duty(node: NodeState, lagBytes: number | null): string {
  if (!node.up) return node.view.detail.diskLost === true ? 'disk lost' : 'crashed';
  switch (node.view.role) {
    case 'primary':
      if (node.service?.writable === false) return 'not taking writes';
      // Still taking writes (the role says so): with no synchronous standby, each one on this disk alone.
      return node.view.detail.syncStandbys === '' ? 'durability degraded' : 'takes writes';
    case 'standby':
      return lagBytes === null ? `from ${node.service?.upstream ?? '—'}` : `lag ${writeCount(lagBytes)}`;
    case 'rebuilding':
      return 'copying a base backup';
    case 'demoted':
      return 'refuses writes';
    default:
      return '';
  }
}

function DatabaseView({ data }: NodeProps & { data: SimNodeData }) {
  const node = useSim((s) => s.nodesById[data.id]);
  const lagBytes = useSim((s) => lagFromPrimary(s.nodesById, data.id));
  if (!node) return null;
  const look = roleLook(node);
  const flushLsn = text(node, 'flushLsn') ?? '0/0';
  const doing = duty(node, lagBytes);
  // A replacement the cloud is still starting has no data yet: its card says when it boots, like an API server's.
  // So does a node being restored from a backup store: it has none of its data until the copy is done.
  const life = lifeNote(node, 0)?.kind;
  if (life === 'provisioning' || life === 'restoring') {
    return (
      <NodeShell node={node} look={look} kindClass="db-node" extraLabel={lifeLabel(node)}>
        <span className="sim-node-id">{node.id}</span>
        <RoleBadge look={look} />
        <LifeLine node={node} />
      </NodeShell>
    );
  }
  return (
    <NodeShell node={node} look={look} kindClass="db-node" extraLabel={`, flushed to ${flushLsn}${doing ? `, ${doing}` : ''}`}>
      <span className="sim-node-id">{node.id}</span>
      <RoleBadge look={look} />
      <span className="sim-node-term">epoch {node.view.term ?? '—'}</span>
      <span className="sim-node-log" title="The last WAL position this node has flushed to its disk">
        {!node.up && <span className="sim-node-last">last known: </span>}flush <strong>{flushLsn}</strong>
      </span>
      {doing && <span className={`db-duty${lagBytes !== null && lagBytes > 0 ? ' is-behind' : ''}`}>{doing}</span>}
    </NodeShell>
  );
}

export const DatabaseNode = memo(DatabaseView);
