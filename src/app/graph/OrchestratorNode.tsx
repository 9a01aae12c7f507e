/**
 * An orchestrator (or any node without a look of its own) on the graph: its role, term and log
 * progress; for a replacement, how long until it boots, and for a replaced one, by whom. It
 * selects only its own state from the store; NodeShell carries the contract.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useSim } from '../store/sim-store';
import { NodeShell, RoleBadge } from './NodeShell';
import { LifeLine, lifeLabel } from './LifeLine';
import { roleLook } from './roles';
import { lifeNote } from './services';
import { Countdown } from './Countdown';

export interface SimNodeData extends Record<string, unknown> {
  readonly id: string;
}

function SimNodeView({ data }: NodeProps & { data: SimNodeData }) {
  const node = useSim((s) => s.nodesById[data.id]);
  if (!node) return null;
  const look = roleLook(node);
  // A down node has no live commit index; its card shows the last it had, as its inspector does.
  const lastCommit = typeof node.view.detail.commitIndex === 'number' ? node.view.detail.commitIndex : 0;
  const commitIndex = node.up ? (node.view.commitIndex ?? 0) : lastCommit;
  const logLength = typeof node.view.detail.logLength === 'number' ? node.view.detail.logLength : null;
  const life = lifeNote(node, 0);
  return (
    <NodeShell node={node} look={look} kindClass={`kind-${node.kind}`} extraLabel={lifeLabel(node)}>
      {node.countdown && node.kind === 'orchestrator' && <Countdown countdown={node.countdown} role={look.role} />}
      <span className="sim-node-id">{node.id}</span>
      <RoleBadge look={look} />
      {node.kind === 'witness' && typeof node.view.detail.lockHolder === 'string' ? (
        // A witness counts epochs, not terms: say whose lock it holds.
        <span className="sim-node-term">
          lock: {node.view.detail.lockHolder}, epoch {String(node.view.detail.epoch)}
        </span>
      ) : (
        node.view.term !== null && life?.kind !== 'provisioning' && <span className="sim-node-term">term {node.view.term}</span>
      )}
      {life && <LifeLine node={node} />}
      {logLength !== null && !life && (
        <span className="sim-node-log" title={`${node.up ? '' : 'when it went down, '}log held ${logLength} entries, ${commitIndex} committed${node.view.snapshot ? `; entries up to ${node.view.snapshot.index} compacted into a snapshot` : ''}`}>
          {!node.up && <span className="sim-node-last">last known: </span>}log {logLength} · commit {commitIndex}
          <span className="sim-node-bar" aria-hidden="true">
            <span style={{ width: logLength > 0 ? `${(100 * commitIndex) / logLength}%` : '0%' }} />
          </span>
        </span>
      )}
    </NodeShell>
  );
}

export const OrchestratorNode = memo(SimNodeView);
