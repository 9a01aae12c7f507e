/**
 * A simulated node on the graph. It selects only its own state from the store. The element
 * carries `data-node-id`, `data-role` and an accessible name saying both (CONTRACT.md section 7).
 */
import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { motion } from 'motion/react';
import { openNodeMenu, openNodeMenuByKeyboard } from '../components/NodeMenu';
import { togglePick } from '../store/partition-tool';
import { partitionSide, select, useSim } from '../store/sim-store';
import { nodeLabel, roleLook } from './roles';

export interface SimNodeData extends Record<string, unknown> {
  readonly id: string;
}

const hiddenHandle = { opacity: 0, top: '50%', left: '50%', pointerEvents: 'none' as const };

/** The side letter to show: the picked side while the partition tool is open, else the current partition's. */
function useSide(id: string): { letter: string | null; picking: boolean; picked: boolean } {
  const picking = useSim((s) => s.partitionPick !== null);
  const picked = useSim((s) => s.partitionPick?.includes(id) ?? false);
  const applied = useSim((s) => partitionSide(s.faults, id));
  if (picking) return { letter: picked ? 'A' : 'B', picking, picked };
  return { letter: applied, picking, picked };
}

function sideWords(side: ReturnType<typeof useSide>): string {
  if (side.picking) return side.picked ? ', picked for side A' : ', side B';
  return side.letter ? `, side ${side.letter} of the partition` : '';
}

function SimNodeView({ data }: NodeProps & { data: SimNodeData }) {
  const node = useSim((s) => s.nodesById[data.id]);
  const selected = useSim((s) => s.selection?.kind === 'node' && s.selection.id === data.id);
  const side = useSide(data.id);
  if (!node) return null;
  const look = roleLook(node);
  const commitIndex = node.view.commitIndex ?? 0;
  const logLength = typeof node.view.detail.logLength === 'number' ? node.view.detail.logLength : null;
  const activate = () => (side.picking ? togglePick(node.id) : select({ kind: 'node', id: node.id }));
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate();
    } else if (!side.picking && (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey))) {
      event.preventDefault();
      openNodeMenuByKeyboard(node.id, event.currentTarget);
    }
  };
  const onContextMenu = (event: MouseEvent) => {
    event.preventDefault();
    if (!side.picking) openNodeMenu(node.id, event.clientX, event.clientY);
  };
  const classes = ['sim-node', `role-${look.role}`, selected && !side.picking ? 'is-selected' : '', side.picking ? 'is-picking' : '', side.picked ? 'is-picked' : ''];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-node-id={node.id}
      data-role={look.role}
      data-side={side.letter ?? undefined}
      role="button"
      tabIndex={0}
      aria-label={nodeLabel(node) + sideWords(side)}
      aria-pressed={side.picking ? side.picked : selected}
      onClick={activate}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
    >
      {side.letter && (
        <span className={`side-badge side-${side.letter}`} aria-hidden="true">
          {side.letter}
        </span>
      )}
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
