/**
 * A network link between two nodes, and the messages on it (two edges: the line under the cards,
 * the messages above them). Each message sits at (now − sent) / (drawn end − sent) along the
 * line: the simulation's own timing, its trip stretched on a short link so that it is seen
 * travelling (the worker's drawn-messages.ts; the legend says so).
 * A message that will be lost turns red, shows a cross and fades out where it dies.
 */
import { memo, useContext } from 'react';
import type { EdgeProps } from '@xyflow/react';
import type { DrawnMessage } from '../../worker/protocol';
import { linkKey, useSim } from '../store/sim-store';
import { MessageGlyph } from './MessageGlyph';
import { CardRects, overCardText, tripAlong, type Curve } from './message-path';
import { EdgePath, useFlowParts } from './flow-parts';

export interface LinkData extends Record<string, unknown> {
  readonly a: string;
  readonly b: string;
}

const NO_MESSAGES: readonly DrawnMessage[] = [];

export type LinkState = 'up' | 'cut' | 'partitioned' | 'slow';

export function linkState(faults: ReturnType<typeof useSim.getState>['faults'], a: string, b: string): LinkState {
  const same = (pair: readonly [string, string]) => (pair[0] === a && pair[1] === b) || (pair[0] === b && pair[1] === a);
  if (faults.cut.some(same)) return 'cut';
  if (faults.partition) {
    const groupOf = (id: string) => faults.partition!.findIndex((g) => g.includes(id));
    if (groupOf(a) !== groupOf(b)) return 'partitioned';
  }
  if (faults.slow.some(same)) return 'slow';
  return 'up';
}

/** How far along its drawn trip a message is (stretched on a short link: drawn-messages.ts). */
function progress(m: DrawnMessage, nowMs: number): number {
  const span = m.drawnEndAtMs - m.sentAtMs;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (nowMs - m.sentAtMs) / span));
}

/** Nodes in one row further apart than this have others between them; their link bends below. */
const BEND_FROM_DX = 260;

/**
 * The control point of a bent link, or null for a straight one. Two database nodes in the same
 * row with a third between them would otherwise be joined by a line hidden behind the third.
 */
function bend(x1: number, y1: number, x2: number, y2: number): [number, number] | null {
  const dx = Math.abs(x2 - x1);
  if (Math.abs(y2 - y1) > 4 || dx < BEND_FROM_DX) return null;
  return [(x1 + x2) / 2, (y1 + y2) / 2 + dx * 0.45];
}

function onQuad(t: number, x1: number, y1: number, cx: number, cy: number, x2: number, y2: number): [number, number] {
  const u = 1 - t;
  return [u * u * x1 + 2 * u * t * cx + t * t * x2, u * u * y1 + 2 * u * t * cy + t * t * y2];
}

interface Geometry {
  readonly path: string;
  readonly mid: readonly [number, number];
  /** The whole link from source to target, centre to centre (messages travel only part of it: message-path.ts). */
  readonly curve: Curve;
}

function geometry(sourceX: number, sourceY: number, targetX: number, targetY: number): Geometry {
  const control = bend(sourceX, sourceY, targetX, targetY);
  const path = control
    ? `M ${sourceX} ${sourceY} Q ${control[0]} ${control[1]} ${targetX} ${targetY}`
    : `M ${sourceX} ${sourceY} L ${targetX} ${targetY}`;
  const curve: Curve = control
    ? (t) => onQuad(t, sourceX, sourceY, control[0], control[1], targetX, targetY)
    : (t) => [sourceX + (targetX - sourceX) * t, sourceY + (targetY - sourceY) * t];
  return { path, mid: curve(0.5), curve };
}

/** The line itself, under the cards: its state (cut, partitioned, slow) by colour, dash and a mark. */
function LinkView({ id, sourceX, sourceY, targetX, targetY, data, selected }: EdgeProps & { data: LinkData }) {
  const state = useSim((s) => linkState(s.faults, data.a, data.b));
  const { path, mid } = geometry(sourceX, sourceY, targetX, targetY);
  return (
    <>
      <EdgePath id={id} path={path} className={`link link-${state}${selected ? ' is-selected' : ''}`} interactionWidth={24} />
      {state === 'cut' && (
        <text className="link-cut-mark" x={mid[0]} y={mid[1]} textAnchor="middle" dominantBaseline="central" aria-hidden="true">
          ✂
        </text>
      )}
    </>
  );
}

/** A glyph's usual size in graph units; zoomed out, glyphs grow so that none is drawn smaller than about this many screen pixels. */
const GLYPH_UNITS = 16;
const GLYPH_MIN_PX = 14;
/** Half the largest glyph's size (a page of WAL, 18 units wide) in graph units, before scaling. */
const GLYPH_HALF_UNITS = 9;

/**
 * The messages on a link, drawn in a layer above the cards (its edge has a high z-index) so that a
 * message is seen leaving one card and reaching the other. They travel between the two cards'
 * borders, never over their text, and are drawn faint where the link crosses a third card
 * (message-path.ts).
 */
function MessagesView({ source, target, sourceX, sourceY, targetX, targetY, data }: EdgeProps & { data: LinkData }) {
  const key = linkKey(data.a, data.b);
  const messages = useSim((s) => s.messagesByLink[key] ?? NO_MESSAGES);
  const nowMs = useSim((s) => (messages.length > 0 ? s.nowMs : 0));
  const scale = useFlowParts().useZoomed((zoom) => Math.max(1, GLYPH_MIN_PX / (GLYPH_UNITS * zoom)));
  const cards = useContext(CardRects);
  if (messages.length === 0) return null;
  const { curve } = geometry(sourceX, sourceY, targetX, targetY);
  const at = tripAlong(curve, cards.get(source), cards.get(target), GLYPH_HALF_UNITS * scale + 2);
  return (
    <g data-link={key} aria-hidden="true">
      {messages.map((m) => {
        const p = progress(m, nowMs);
        const point = at(m.from === source ? p : 1 - p);
        const faint = overCardText(point, cards.values());
        return <MessageGlyph key={m.id} message={m} progress={p} x={point[0]} y={point[1]} scale={scale} faint={faint} />;
      })}
    </g>
  );
}

export const LinkEdge = memo(LinkView);
export const MessagesEdge = memo(MessagesView);
