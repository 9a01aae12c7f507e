/**
 * A simulated node on the graph. It selects only its own state from the store. The element
 * carries `data-node-id`, `data-role` and an accessible name saying both (CONTRACT.md section 7).
 */
import { memo, type KeyboardEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { motion } from 'motion/react';
import { select, useSim } from '../store/sim-store';
import { nodeLabel, roleLook } from './roles';

export interface SimNodeData extends Record<string, unknown> {
  readonly id: string;
}

const hiddenHandle = { opacity: 0, top: '50%', left: '50%', pointerEvents: 'none' as const };

function SimNodeView({ data }: NodeProps & { data: SimNodeData }) {
  const node = useSim((s) => s.nodesById[data.id]);
  const selected = useSim((s) => s.selection?.kind === 'node' && s.selection.id === data.id);
  if (!node) return null;
  const look = roleLook(node);
  const commitIndex = node.view.commitIndex ?? 0;
  const logLength = typeof node.view.detail.logLength === 'number' ? node.view.detail.logLength : null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select({ kind: 'node', id: node.id });
    }
  };
  return (
    <div
      className={`sim-node role-${look.role}${selected ? ' is-selected' : ''}`}
      data-node-id={node.id}
      data-role={look.role}
      role="button"
      tabIndex={0}
      aria-label={nodeLabel(node)}
      aria-pressed={selected}
      onClick={() => select({ kind: 'node', id: node.id })}
      onKeyDown={onKeyDown}
    >
      <Handle type="source" position={Position.Top} style={hiddenHandle} isConnectable={false} />
      <Handle type="target" position={Position.Top} style={hiddenHandle} isConnectable={false} />
      <span className="sim-node-id">{node.id}</span>
      {/* Keyed by role so that a change of role pulses once (Motion honours reduced motion). */}
      <motion.span
        key={look.role}
        className="sim-node-role"
        initial={{ scale: 1.35, opacity: 0.4 }}
        animate={{ scale: 1, opacity: 1 }}
        transition={{ type: 'spring', stiffness: 380, damping: 16 }}
      >
        <span aria-hidden="true">{look.glyph}</span> {look.word}
      </motion.span>
      {node.view.term !== null && <span className="sim-node-term">term {node.view.term}</span>}
      {logLength !== null && (
        <span className="sim-node-log" title={`log holds ${logLength} entries, ${commitIndex} committed`}>
          log {logLength} · commit {commitIndex}
          <span className="sim-node-bar" aria-hidden="true">
            <span style={{ width: logLength > 0 ? `${(100 * commitIndex) / logLength}%` : '0%' }} />
          </span>
        </span>
      )}
    </div>
  );
}

export const OrchestratorNode = memo(SimNodeView);
