/**
 * "Who watches whom": a thin dashed arc from a node to each node it health-checks now, with an
 * arrow at the watched end. It bends to one side of the straight network link between the same two
 * nodes, so both stay readable, and it cannot be clicked: a watch is not a link that can be cut.
 */
import { memo } from 'react';
import type { EdgeProps } from '@xyflow/react';
import { toBorder, type WatchKind } from './services';

export interface WatchData extends Record<string, unknown> {
  readonly kind: WatchKind;
  readonly sourceSize: readonly [number, number];
  readonly targetSize: readonly [number, number];
}

/** Hex, not CSS variables: React Flow builds the arrow marker's id from its colour. */
export const WATCH_COLOURS: Record<WatchKind, string> = {
  balancer: '#4338ca',
  worker: '#c2410c',
  leader: '#0f7b3f',
  agent: '#be185d',
  other: '#475569',
};

/** How far the arc's middle stands off the straight line, at most. */
const BOW = 26;

/** The arc from the watcher's border to the watched node's border, bowed to the left of the way it goes. */
export function watchPath(sx: number, sy: number, tx: number, ty: number, sourceSize: readonly [number, number], targetSize: readonly [number, number]): string {
  const length = Math.hypot(tx - sx, ty - sy);
  if (length === 0) return '';
  const bow = Math.min(BOW, length * 0.15);
  const cx = (sx + tx) / 2 + (-(ty - sy) / length) * bow;
  const cy = (sy + ty) / 2 + ((tx - sx) / length) * bow;
  const [x1, y1] = toBorder(cx, cy, sx, sy, sourceSize[0], sourceSize[1], 2);
  const [x2, y2] = toBorder(cx, cy, tx, ty, targetSize[0], targetSize[1], 5);
  return `M ${x1} ${y1} Q ${cx} ${cy} ${x2} ${y2}`;
}

function WatchView({ id, sourceX, sourceY, targetX, targetY, data, markerEnd }: EdgeProps & { data: WatchData }) {
  const path = watchPath(sourceX, sourceY, targetX, targetY, data.sourceSize, data.targetSize);
  return <path id={id} d={path} className={`watch watch-${data.kind}`} style={{ stroke: WATCH_COLOURS[data.kind] }} markerEnd={markerEnd} fill="none" />;
}

export const WatchEdge = memo(WatchView);
