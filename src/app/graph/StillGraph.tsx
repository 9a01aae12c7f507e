/**
 * The embed's graph: the playground's drawing (graph-model.tsx: the same cards, links, messages,
 * watches and data-centre boxes, fitted to their region the same way), as a still picture in an
 * article's column. It neither pans nor zooms, so that a reader's wheel or finger scrolls the
 * article instead of getting caught in the drawing; a link is still selected by a click, or by
 * Enter or Space once focused, and a click beside the drawing clears the selection.
 *
 * It draws React Flow's markup and classes, so the page's styles and the tests read both drawings
 * alike, without React Flow itself: its code and d3's zoom, drag and transitions under it are a
 * quarter of what an embed would otherwise download, and a still picture uses none of them.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ComponentType, type KeyboardEvent, type RefObject } from 'react';
import type { Edge, EdgeMarker } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { select } from '../store/sim-store';
import { Legend } from './Legend';
import { CardRects } from './message-path';
import { FlowPartsProvider, type FlowParts } from './flow-parts';
import { viewFitting } from './still-view';
import { COMPACT_NARROW_QUERY, edgeTypes, newNodeOutOfSight, nodeTypes, REDUCED_MOTION_QUERY, useGraph, useMedia, WatchToggle, type FlowNode, type View } from './graph-model';

const StillZoom = createContext(1);

function useZoomedStill<T>(select: (zoom: number) => T): T {
  return select(useContext(StillZoom));
}

/** Links are placed here from the cards' sizes, so the cards draw no handles. */
const STILL_PARTS: FlowParts = { useZoomed: useZoomedStill, Handles: null };

/**
 * Where a link meets a card, as in the playground: React Flow attaches it to the card's hidden
 * top handle (GraphView.tsx), a 6 px box centred on the card, at the middle of the box's top edge.
 */
const HANDLE_HALF = 3;

function anchorOf(node: FlowNode): [number, number] {
  return [node.position.x + (node.width ?? 0) / 2, node.position.y + (node.height ?? 0) / 2 - HANDLE_HALF];
}

const FILL = { position: 'absolute', width: '100%', height: '100%', top: 0, left: 0 } as const;
const GLIDE_MS = 400;

function easeInOut(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
}

/** The region's size in CSS pixels, following it as it changes (a rotation, a resized column). */
function useRegionSize(region: RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = region.current;
    if (!element) return;
    const measure = () => setSize((old) => (old.width === element.offsetWidth && old.height === element.offsetHeight ? old : { width: element.offsetWidth, height: element.offsetHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [region]);
  return size;
}

/**
 * The view: fitted to the nodes the scenario starts with, and again when the region changes size;
 * when a new node would appear out of sight (a replacement at the end of its row), it glides out to
 * show everything (with reduced motion it jumps). Calls `onFitted` as GraphView's fitting does.
 */
function useStillView(nodes: readonly FlowNode[], region: RefObject<HTMLDivElement | null>, onFitted: (size: string) => void): View | null {
  const { width, height } = useRegionSize(region);
  const reduced = useMedia(REDUCED_MOTION_QUERY);
  const [view, setView] = useState<View | null>(null);
  // The view on screen, for the effects: set with it, never during a render.
  const shown = useRef<View | null>(null);
  const show = useCallback((next: View) => {
    shown.current = next;
    setView(next);
  }, []);
  const first = useRef(nodes);
  const seen = useRef<ReadonlySet<string> | null>(null);
  const glide = useRef(0);
  useLayoutEffect(() => {
    if (width === 0 || height === 0) return;
    show(viewFitting(first.current, width, height));
    onFitted(`${width}x${height}`);
  }, [width, height, onFitted, show]);
  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(nodes.map((n) => n.id));
    const from = shown.current;
    if (!previous || !from || width === 0 || !newNodeOutOfSight(nodes, previous, from, width, height)) return;
    const to = viewFitting(nodes, width, height);
    const duration = reduced ? 0 : GLIDE_MS;
    const start = performance.now();
    const step = (now: number) => {
      const t = duration === 0 ? 1 : easeInOut(Math.min(1, (now - start) / duration));
      show({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t, zoom: from.zoom + (to.zoom - from.zoom) * t });
      if (t < 1) glide.current = requestAnimationFrame(step);
    };
    cancelAnimationFrame(glide.current);
    glide.current = requestAnimationFrame(step);
  }, [nodes, width, height, reduced, show]);
  useEffect(() => () => cancelAnimationFrame(glide.current), []);
  return view;
}

// ---- drawing ------------------------------------------------------------------------------

type StillEdge = Edge<Record<string, unknown>>;

/** React Flow's id for an arrow marker: its fields, sorted, in the id (so one marker serves every edge of that look). */
function markerId(marker: EdgeMarker): string {
  const fields = Object.entries(marker).sort(([a], [b]) => a.localeCompare(b));
  return `still__${fields.map(([key, value]) => `${key}=${String(value)}`).join('&')}`;
}

function Markers({ edges }: { edges: readonly StillEdge[] }) {
  const markers = new Map<string, EdgeMarker>();
  for (const edge of edges) if (edge.markerEnd && typeof edge.markerEnd === 'object') markers.set(markerId(edge.markerEnd), edge.markerEnd);
  if (markers.size === 0) return null;
  return (
    <svg className="react-flow__marker" aria-hidden="true">
      <defs>
        {[...markers].map(([id, marker]) => (
          <marker
            key={id}
            className="react-flow__arrowhead"
            id={id}
            markerWidth={marker.width ?? 12.5}
            markerHeight={marker.height ?? 12.5}
            viewBox="-10 -10 20 20"
            markerUnits="strokeWidth"
            orient="auto-start-reverse"
            refX="0"
            refY="0"
          >
            <polyline
              className="arrowclosed"
              strokeLinecap="round"
              strokeLinejoin="round"
              points="-5,-4 0,0 -5,4 -5,-4"
              style={{ strokeWidth: marker.strokeWidth ?? 1, stroke: marker.color ?? undefined, fill: marker.color ?? undefined }}
            />
          </marker>
        ))}
      </defs>
    </svg>
  );
}

const EDGE_DESCRIPTION_ID = 'still-flow__edge-desc';

function selectLink(edge: StillEdge): void {
  if (edge.type === 'link') select({ kind: 'link', a: edge.source, b: edge.target });
}

/** One edge in its own layer, as React Flow draws it: a link may be clicked, and focused then picked with Enter or Space. */
function StillEdgeView({ edge, nodes }: { edge: StillEdge; nodes: ReadonlyMap<string, FlowNode> }) {
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  if (!source || !target) return null;
  const Component = edgeTypes[edge.type as keyof typeof edgeTypes] as unknown as ComponentType<Record<string, unknown>>;
  const selectable = edge.selectable ?? true;
  const focusable = edge.focusable ?? true;
  const [sourceX, sourceY] = anchorOf(source);
  const [targetX, targetY] = anchorOf(target);
  const classes = ['react-flow__edge', `react-flow__edge-${edge.type}`, edge.className, 'nopan', edge.selected ? 'selected' : '', selectable ? 'selectable' : ''];
  const onKeyDown = (event: KeyboardEvent<SVGGElement>) => {
    if (event.key === 'Escape') event.currentTarget.blur();
    else if (event.key === 'Enter' || event.key === ' ') selectLink(edge);
  };
  const markerEnd = edge.markerEnd && typeof edge.markerEnd === 'object' ? `url('#${markerId(edge.markerEnd)}')` : undefined;
  return (
    <svg style={{ zIndex: edge.zIndex ?? 0 }}>
      <g
        className={classes.filter(Boolean).join(' ')}
        onClick={() => selectLink(edge)}
        onKeyDown={focusable && selectable ? onKeyDown : undefined}
        tabIndex={focusable ? 0 : undefined}
        role={focusable ? 'group' : 'img'}
        aria-roledescription="edge"
        data-id={edge.id}
        data-testid={`rf__edge-${edge.id}`}
        aria-label={edge.ariaLabel ?? `Edge from ${edge.source} to ${edge.target}`}
        aria-describedby={focusable ? EDGE_DESCRIPTION_ID : undefined}
      >
        <Component
          id={edge.id}
          source={edge.source}
          target={edge.target}
          type={edge.type}
          selected={edge.selected}
          sourceX={sourceX}
          sourceY={sourceY}
          targetX={targetX}
          targetY={targetY}
          data={edge.data}
          markerEnd={markerEnd}
        />
      </g>
    </svg>
  );
}

function StillNodeView({ node }: { node: FlowNode }) {
  const Component = nodeTypes[node.type as keyof typeof nodeTypes] as unknown as ComponentType<Record<string, unknown>>;
  const style = {
    zIndex: node.zIndex ?? 0,
    transform: `translate(${node.position.x}px, ${node.position.y}px)`,
    pointerEvents: 'none',
    visibility: 'visible',
    width: node.width,
    height: node.height,
  } as const;
  return (
    <div className={`react-flow__node react-flow__node-${node.type}`} data-id={node.id} data-testid={`rf__node-${node.id}`} aria-roledescription="node" style={style}>
      <Component id={node.id} type={node.type} data={node.data} width={node.width} height={node.height} />
    </div>
  );
}

function StillFlow({ nodes, edges, region, fitted, onFitted }: { nodes: readonly FlowNode[]; edges: readonly StillEdge[]; region: RefObject<HTMLDivElement | null>; fitted: boolean; onFitted: (size: string) => void }) {
  const view = useStillView(nodes, region, onFitted);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  return (
    <div
      ref={region}
      data-testid="rf__wrapper"
      data-fitted={fitted ? 'true' : 'false'}
      aria-label="The simulated system"
      className="react-flow light"
      role="application"
      style={{ width: '100%', height: '100%', overflow: 'hidden', position: 'relative', zIndex: 0 }}
      // Focusing a link must not scroll the drawing inside its frame.
      onScroll={(event) => event.currentTarget.scrollTo({ top: 0, left: 0 })}
    >
      <div className="react-flow__renderer" style={FILL}>
        <div
          className="react-flow__pane"
          style={FILL}
          onClick={(event) => {
            if (event.target === event.currentTarget) select(null);
          }}
        >
          {view && (
            <StillZoom.Provider value={view.zoom}>
              <div className="react-flow__viewport xyflow__viewport react-flow__container" style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})` }}>
                <div className="react-flow__edges">
                  <Markers edges={edges} />
                  {edges.map((edge) => (
                    <StillEdgeView key={edge.id} edge={edge} nodes={byId} />
                  ))}
                </div>
                <div className="react-flow__edgelabel-renderer" />
                <div className="react-flow__nodes" style={FILL}>
                  {nodes.map((node) => (
                    <StillNodeView key={node.id} node={node} />
                  ))}
                </div>
              </div>
            </StillZoom.Provider>
          )}
        </div>
      </div>
      <div className="react-flow__panel graph-tools bottom left">
        <WatchToggle />
        <Legend />
      </div>
      <div id={EDGE_DESCRIPTION_ID} style={{ display: 'none' }}>
        Press Enter or Space to select this link.
      </div>
    </div>
  );
}

export function StillGraph() {
  const { empty, nodes, edges, cards, flow, flowKey, fitted, onFitted } = useGraph(COMPACT_NARROW_QUERY);
  if (empty) return <div className="graph-empty">No nodes to draw yet.</div>;
  return (
    <FlowPartsProvider value={STILL_PARTS}>
      <CardRects.Provider value={cards}>
        <StillFlow key={flowKey} nodes={nodes} edges={edges as StillEdge[]} region={flow} fitted={fitted} onFitted={onFitted} />
      </CardRects.Provider>
    </FlowPartsProvider>
  );
}
