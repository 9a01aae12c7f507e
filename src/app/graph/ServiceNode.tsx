/**
 * The stateless tier on the graph: the load balancer (how many servers it sends requests to, one
 * mark per server) and each API server (requests in flight, served). Shape, colour and word tell
 * the role; NodeShell carries the contract (data-node-id, data-role, the accessible name).
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NodeState } from '../../sim';
import { useSim } from '../store/sim-store';
import { LifeLine, lifeLabel } from './LifeLine';
import { NodeShell, RoleBadge } from './NodeShell';
import type { SimNodeData } from './OrchestratorNode';
import { roleLook } from './roles';
import { backendsOf, lifeNote, rotationWords, serverLoad } from './services';

function BalancerBody({ node }: { node: NodeState }) {
  const backends = backendsOf(node);
  return (
    <>
      <span className="svc-line">{rotationWords(node)}</span>
      {backends.length > 0 && (
        <span className="svc-backends" aria-hidden="true">
          {backends.map((b) => (
            <span key={b.id} className={`svc-backend${b.inRotation ? ' is-in' : ''}`} title={`${b.id}: ${b.inRotation ? 'in rotation' : 'out of rotation'}`} />
          ))}
        </span>
      )}
    </>
  );
}

function ServerBody({ node }: { node: NodeState }) {
  const { inFlight, served } = serverLoad(node);
  return (
    <span className="svc-line">
      {inFlight ?? 0} in flight{served !== null && <span className="muted"> · {served} served</span>}
    </span>
  );
}

function ServiceView({ data }: NodeProps & { data: SimNodeData }) {
  const node = useSim((s) => s.nodesById[data.id]);
  if (!node) return null;
  const look = roleLook(node);
  const balancer = node.kind === 'load-balancer';
  const hasLife = lifeNote(node, 0) !== null;
  const running = node.up && !hasLife;
  const load = !running ? '' : balancer ? `, ${rotationWords(node)}` : `, ${serverLoad(node).inFlight ?? 0} requests in flight`;
  return (
    <NodeShell node={node} look={look} kindClass={`kind-${node.kind}`} extraLabel={load + lifeLabel(node)}>
      <span className="sim-node-id">{node.id}</span>
      <RoleBadge look={look} />
      {hasLife ? <LifeLine node={node} /> : !node.up ? null : balancer ? <BalancerBody node={node} /> : <ServerBody node={node} />}
    </NodeShell>
  );
}

export const ServiceNode = memo(ServiceView);
