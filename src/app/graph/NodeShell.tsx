/**
 * What every simulated node on the graph shares, whatever its look: the element that carries
 * `data-node-id`, `data-role` and an accessible name saying both, the
 * click, keyboard and context-menu handling, the partition side badge and the renderer's hidden handles (flow-parts.tsx).
 */
import { useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import type { NodeState } from '../../sim';
import { openNodeMenu, openNodeMenuByKeyboard } from '../components/node-menu/open-menu';
import { useIsLessonTarget } from '../lessons/lesson-store';
import { useMotionElements } from '../motion-elements';
import { togglePick } from '../store/partition-tool';
import { partitionSide, select, useSim } from '../store/sim-store';
import { nodeLabel, type RoleLook } from './roles';
import { useFlowParts } from './flow-parts';

interface Side {
  readonly letter: string | null;
  readonly picking: boolean;
  readonly picked: boolean;
}

/** The side number to show (1, 2, …): the picked side while the partition tool is open, else the current partition's. */
function useSide(id: string): Side {
  const picking = useSim((s) => s.partitionPick !== null);
  const picked = useSim((s) => s.partitionPick?.includes(id) ?? false);
  const applied = useSim((s) => partitionSide(s.faults, id));
  if (picking) return { letter: picked ? '1' : '2', picking, picked };
  return { letter: applied, picking, picked };
}

function sideWords(side: Side): string {
  if (side.picking) return side.picked ? ', picked for side 1' : ', side 2';
  return side.letter ? `, side ${side.letter} of the partition` : '';
}

/**
 * The role word and glyph; keyed by role so that a change of role pulses once (Motion: it grows in
 * from 1.35× and settles; with reduced motion it appears at its size at once). The role a card is
 * first drawn with does not pulse: nothing changed in front of the learner (a page opened at a
 * linked moment, a machine arriving with its own animation), and a long word such as
 * "provisioning" would spill past its card while it settled.
 */
export function RoleBadge({ look }: { look: RoleLook }) {
  const m = useMotionElements();
  // Reduced motion: not even the first frame is drawn enlarged.
  const reduced = m.useReduced();
  const [firstRole] = useState(look.role);
  const [hasChanged, setHasChanged] = useState(false);
  const changed = hasChanged || look.role !== firstRole;
  if (changed && !hasChanged) setHasChanged(true); // it stays true when the role comes back to the first one
  const pulse = !reduced && changed;
  return (
    <m.span key={look.role} className="sim-node-role" initial={pulse ? PULSE_FROM : false} animate={PULSE_TO} transition={PULSE}>
      <span aria-hidden="true">{look.glyph}</span> {look.word}
    </m.span>
  );
}

const PULSE_FROM = { scale: 1.35, opacity: 0.4 };
const PULSE_TO = { scale: 1, opacity: 1 };
const PULSE = { duration: 0.6, ease: 'easeOut' } as const;
/** A replacement machine grows onto the stage where the layout placed it. */
const ARRIVE_FROM = { opacity: 0, scale: 0.5 };
const ARRIVED = { opacity: 1, scale: 1 };
/** A node replaced for good fades back (it will not return to service). */
const RETIRED = { opacity: 0.62, scale: 1 };
const ARRIVE = { duration: 0.45, ease: 'easeOut' } as const;

interface ShellProps {
  readonly node: NodeState;
  readonly look: RoleLook;
  /** The kind's own class (its shape), e.g. `db-node`. */
  readonly kindClass: string;
  /** Extra words for the accessible name after id, role and term. */
  readonly extraLabel?: string;
  readonly children: ReactNode;
}

export function NodeShell({ node, look, kindClass, extraLabel = '', children }: ShellProps) {
  const selected = useSim((s) => s.selection?.kind === 'node' && s.selection.id === node.id);
  const side = useSide(node.id);
  const pointed = useIsLessonTarget(node.id);
  const m = useMotionElements();
  const { Handles } = useFlowParts();
  const reduced = m.useReduced();
  const activate = () => (side.picking ? togglePick(node.id) : select({ kind: 'node', id: node.id }));
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Space picks only in the partition tool; otherwise it is the page's play / pause (shortcuts.ts).
    if (event.key === 'Enter' || (event.key === ' ' && side.picking)) {
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
  const classes = [
    'sim-node',
    kindClass,
    `role-${look.role}`,
    node.replacedBy ? 'is-replaced' : '',
    selected && !side.picking ? 'is-selected' : '',
    side.picking ? 'is-picking' : '',
    side.picked ? 'is-picked' : '',
    pointed ? 'is-lesson-target' : '',
  ];
  return (
    <m.div
      initial={node.replaces && !reduced ? ARRIVE_FROM : false}
      animate={node.replacedBy ? RETIRED : ARRIVED}
      transition={ARRIVE}
      className={classes.filter(Boolean).join(' ')}
      data-node-id={node.id}
      data-role={look.role}
      data-side={side.letter ?? undefined}
      role="button"
      tabIndex={0}
      aria-label={nodeLabel(node) + extraLabel + sideWords(side) + (pointed ? ', the lesson points here' : '')}
      aria-pressed={side.picking ? side.picked : selected}
      onClick={activate}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
    >
      {pointed && (
        <span className="lesson-ring" aria-hidden="true">
          <span className="lesson-ring-tag">this step</span>
        </span>
      )}
      {side.letter && (
        <span className={`side-badge side-${side.letter}`} aria-hidden="true">
          {side.letter}
        </span>
      )}
      {Handles && <Handles />}
      {children}
    </m.div>
  );
}
