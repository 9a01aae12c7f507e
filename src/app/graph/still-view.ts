/**
 * How the embed's still graph (StillGraph.tsx) fits its drawing to its region: the rule React
 * Flow's getViewportForBounds applies in the playground (GraphView.tsx), written out so the
 * embed need not download React Flow. A unit test holds the two to the same answers.
 */
import { FIT, MIN_ZOOM, ringSafePadding, type FlowNode, type View } from './graph-model';

/** A padding of FIT in pixels (`'16px'`), rounded down as React Flow does. */
function px(padding: string): number {
  return Math.floor(Number.parseFloat(padding));
}

/**
 * The view that shows `nodes` centred in a region of that size, within its padding and zoom bounds:
 * fitted with FIT's padding, then again with the padding that zoom needs for a lesson's ring and
 * glow (`ringSafePadding`), as the playground's GraphView does.
 */
export function viewFitting(nodes: readonly FlowNode[], width: number, height: number): View {
  if (nodes.length === 0) return { x: 0, y: 0, zoom: 1 };
  const rough = viewWithPadding(nodes, width, height, FIT.padding);
  return viewWithPadding(nodes, width, height, ringSafePadding(rough.zoom));
}

function viewWithPadding(nodes: readonly FlowNode[], width: number, height: number, padding: Readonly<Record<'top' | 'right' | 'bottom' | 'left', string>>): View {
  const left = Math.min(...nodes.map((n) => n.position.x));
  const top = Math.min(...nodes.map((n) => n.position.y));
  const boundsWidth = Math.max(...nodes.map((n) => n.position.x + (n.width ?? 0))) - left;
  const boundsHeight = Math.max(...nodes.map((n) => n.position.y + (n.height ?? 0))) - top;
  const p = { top: px(padding.top), right: px(padding.right), bottom: px(padding.bottom), left: px(padding.left) };
  const fits = Math.min((width - p.left - p.right) / boundsWidth, (height - p.top - p.bottom) / boundsHeight);
  const zoom = Math.min(Math.max(fits, MIN_ZOOM), FIT.maxZoom);
  const x = width / 2 - (left + boundsWidth / 2) * zoom;
  const y = height / 2 - (top + boundsHeight / 2) * zoom;
  // Where the centred drawing leaves less than a side's padding, it moves away from that side.
  const applied = {
    left: Math.floor(left * zoom + x),
    top: Math.floor(top * zoom + y),
    right: Math.floor(width - ((left + boundsWidth) * zoom + x)),
    bottom: Math.floor(height - ((top + boundsHeight) * zoom + y)),
  };
  const short = (side: keyof typeof p) => Math.min(applied[side] - p[side], 0);
  return { x: x - short('left') + short('right'), y: y - short('top') + short('bottom'), zoom };
}
