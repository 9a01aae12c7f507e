/**
 * What both drawings of the graph share (React Flow's in the playground, GraphView.tsx, and the
 * embed's still one, StillGraph.tsx): the nodes and data-centre boxes to draw and where, the links
 * and watches between them, how the drawing is fitted, and the switch under it. Nothing here
 * imports React Flow at run time (only its types), so the embed's files hold none of it.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Edge, MarkerType, Node } from '@xyflow/react';
import type { NodeKind } from '../../sim';
import { useSim, useSimStore, type Selection } from '../store/sim-store';
import { headerAsText, type CardRect } from './message-path';
import { linkKeys } from './links';
import { HEADER_ROOM, layout, nodeHeight, NODE_WIDTH, type Layout, type RegionBox } from './layout';
import { DatabaseNode } from './DatabaseNode';
import { LinkEdge, linkState, MessagesEdge, type LinkData } from './LinkEdge';
import { OrchestratorNode, type SimNodeData } from './OrchestratorNode';
import { RegionNode, type RegionData } from './RegionNode';
import { ServiceNode } from './ServiceNode';
import { WATCH_COLOURS, WatchEdge, type WatchData } from './WatchEdge';
import { watchEdges } from './services';

export const nodeTypes = { sim: OrchestratorNode, database: DatabaseNode, service: ServiceNode, region: RegionNode };
export const edgeTypes = { link: LinkEdge, messages: MessagesEdge, watch: WatchEdge };

export type FlowNode = Node<SimNodeData, 'sim' | 'database' | 'service'> | Node<RegionData, 'region'>;

function nodeType(kind: NodeKind): 'sim' | 'database' | 'service' {
  if (kind === 'database') return 'database';
  return kind === 'load-balancer' || kind === 'server' ? 'service' : 'sim';
}

export const NARROW_QUERY = '(max-width: 760px)';
/**
 * In an embed the frame is the article's column. Two data centres side by side need about 1,100
 * graph units across (the combined setup), which a 640 px column would draw at half size; stacked
 * they take half the width and the embed's graph grows taller instead (embed.css).
 */
export const COMPACT_NARROW_QUERY = '(max-width: 760px)';

/** Room around the drawing when it is fitted; more at the bottom, where the watch switch and the legend sit. */
export const FIT_PADDING = { top: '16px', right: '16px', bottom: '48px', left: '16px' } as const;
/** The smallest zoom a fitted drawing gets. */
export const MIN_ZOOM = 0.2;
/** A three-node lesson is drawn large, not gigantic. */
export const FIT = { padding: FIT_PADDING, maxZoom: 1.6 } as const;
/**
 * How far the lesson's ring and its pulsing glow reach beyond a card, in graph units: the ring sits
 * 11 px outside the card and its shadow spreads 8 px more (lessons.css). Being in graph units it
 * grows with the zoom, so a fixed padding in pixels let a large drawing's edge cut it: db-1's glow
 * in failover-witness's 640 px embed, zoomed 1.4×, lost about 5 px to the region's edge.
 */
export const LESSON_RING_REACH = 19;

type Side = 'top' | 'right' | 'bottom' | 'left';

/** FIT's padding at `zoom`, each side widened where the lesson's ring and glow would reach past it. */
export function ringSafePadding(zoom: number): Record<Side, `${number}px`> {
  const reach = Math.ceil(LESSON_RING_REACH * zoom);
  const side = (padding: string): `${number}px` => `${Math.max(Number.parseFloat(padding), reach)}px`;
  return { top: side(FIT_PADDING.top), right: side(FIT_PADDING.right), bottom: side(FIT_PADDING.bottom), left: side(FIT_PADDING.left) };
}
/** Messages are drawn above every card: React Flow puts edges with a z-index above nodes' in a layer of their own. */
export const MESSAGES_Z = 1000;

export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

/** Whether a media query matches (a narrow screen, a wish for less motion), following it as it changes. */
export function useMedia(media: string): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia(media).matches);
  useEffect(() => {
    const query = matchMedia(media);
    const onChange = () => setNarrow(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [media]);
  return narrow;
}

/**
 * Whether the data centres matter here, so that their boxes and Black out switches are drawn: a
 * scenario with a DR data centre or a data-centre event, or one without lesson steps (free play,
 * where any data centre may be blacked out). A three-node Raft lesson has none.
 */
export function useRegionsMatter(): boolean {
  return useSim((s) => {
    const scenario = s.recorded;
    if (!scenario || !scenario.steps || scenario.steps.length === 0) return true;
    if (scenario.events.some((e) => e.do === 'region-down' || e.do === 'region-up')) return true;
    return s.nodeIds.some((id) => s.nodesById[id]?.region === 'dr');
  });
}

/** The drawing's size in graph units: its nodes and data-centre boxes. */
export interface Drawing {
  readonly width: number;
  readonly height: number;
}

function drawingOf(placed: Layout, boxes: readonly RegionBox[]): Drawing {
  const rects = [...boxes, ...placed.nodes.map((n) => ({ x: n.x, y: n.y, width: NODE_WIDTH, height: nodeHeight(n.kind) }))];
  if (rects.length === 0) return { width: 1, height: 1 };
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  return { width: Math.max(...rects.map((r) => r.x + r.width)) - left, height: Math.max(...rects.map((r) => r.y + r.height)) - top };
}

/**
 * The nodes and boxes to draw, and the size of the drawing the scenario starts with (replacements
 * appearing later do not change it, so a region sized from it never changes while a run plays).
 */
export function useLayoutNodes(stacked: boolean, boxed: boolean): { nodes: FlowNode[]; drawing: Drawing } {
  const nodeIds = useSim((s) => s.nodeIds);
  const store = useSimStore();
  return useMemo(() => {
    const byId = store.getState().nodesById;
    const input = nodeIds.map((id) => ({ id, kind: byId[id]!.kind, region: byId[id]!.region, replaces: byId[id]!.replaces ?? null }));
    const placed = layout(input, stacked, boxed);
    const shownBoxes = (l: Layout) => (boxed || l.regions.length > 1 ? l.regions : []);
    const shown = shownBoxes(placed);
    const starting = layout(
      input.filter((n) => !n.replaces),
      stacked,
      boxed,
    );
    const drawing = drawingOf(starting, shownBoxes(starting));
    const regions: FlowNode[] = shown.map((box) => ({
      id: `region:${box.region}`,
      type: 'region',
      position: { x: box.x, y: box.y },
      data: { region: box.region },
      width: box.width,
      height: box.height,
      selectable: false,
      focusable: false,
      draggable: false,
      zIndex: -1,
    }));
    const nodes: FlowNode[] = placed.nodes.map((n) => ({
      id: n.id,
      type: nodeType(n.kind),
      position: { x: n.x, y: n.y },
      data: { id: n.id },
      width: NODE_WIDTH,
      height: nodeHeight(n.kind),
      selectable: false,
      focusable: false,
      draggable: false,
    }));
    return { nodes: [...regions, ...nodes], drawing };
  }, [nodeIds, stacked, boxed, store]);
}

/**
 * Tells the graph's region how large a drawing it holds (`--drawing-width`, `--drawing-height`, in
 * graph units, on the element around the flow), so that a region whose height is free (the embed,
 * a phone) can take the height that draws this scenario legibly (embed.css, styles.css).
 */
export function useDrawingSize(flow: RefObject<HTMLDivElement | null>, drawing: Drawing): void {
  useLayoutEffect(() => {
    const region = flow.current?.parentElement;
    if (!region) return;
    region.style.setProperty('--drawing-width', String(Math.round(drawing.width)));
    region.style.setProperty('--drawing-height', String(Math.round(drawing.height)));
  }, [flow, drawing.width, drawing.height]);
}

/** Each link twice: the line under the cards, and its messages above them (never focusable, never hit). */
export function useLinks(selection: Selection): Edge<LinkData, 'link' | 'messages'>[] {
  const nodeIds = useSim((s) => s.nodeIds);
  const faults = useSim((s) => s.faults);
  const talked = useSim((s) => s.talkedLinks);
  const store = useSimStore();
  return useMemo(() => {
    const byId = store.getState().nodesById;
    return linkKeys(nodeIds, (id) => byId[id]?.kind, talked).flatMap((key) => {
      const [a, b] = key.split('|') as [string, string];
      const state = linkState(faults, a, b);
      const messages: Edge<LinkData, 'messages'> = {
        id: `messages:${a}|${b}`,
        source: a,
        target: b,
        type: 'messages',
        data: { a, b },
        zIndex: MESSAGES_Z,
        selectable: false,
        focusable: false,
        deletable: false,
        interactionWidth: 0,
        className: 'messages-edge',
      };
      const line: Edge<LinkData, 'link'> = {
        id: `link:${a}|${b}`,
        source: a,
        target: b,
        type: 'link' as const,
        data: { a, b },
        selected: selection?.kind === 'link' && selection.a === a && selection.b === b,
        ariaLabel: `Link ${a} – ${b}, ${state}`,
      };
      return [line, messages];
    });
  }, [nodeIds, faults, selection, talked, store]);
}

/** A signature of the current watches ("lb>api-1:balancer orch-1>orch-2:leader"), so the edges rebuild only when one changes. */
function useWatchSignature(): string {
  return useSim((s) => (s.showWatches ? watchEdges(s.nodeIds, s.nodesById).map((e) => `${e.watcher}>${e.watched}:${e.kind}`).join(' ') : ''));
}

export function useWatches(): Edge<WatchData, 'watch'>[] {
  const signature = useWatchSignature();
  const store = useSimStore();
  return useMemo(() => {
    if (signature === '') return [];
    const byId = store.getState().nodesById;
    const size = (id: string): [number, number] => [NODE_WIDTH, nodeHeight(byId[id]?.kind ?? 'orchestrator')];
    return signature.split(' ').map((entry) => {
      const [pair, kind] = entry.split(':') as [string, WatchData['kind']];
      const [watcher, watched] = pair.split('>') as [string, string];
      return {
        id: `watch:${watcher}>${watched}`,
        source: watcher,
        target: watched,
        type: 'watch' as const,
        data: { kind, sourceSize: size(watcher), targetSize: size(watched) },
        markerEnd: { type: 'arrowclosed' as MarkerType, color: WATCH_COLOURS[kind], width: 14, height: 14 },
        selectable: false,
        focusable: false,
        deletable: false,
        interactionWidth: 0,
        className: 'watch-edge',
        ariaLabel: `${watcher} watches ${watched}`,
      };
    });
  }, [signature, store]);
}

/** The "Show who watches whom" switch, offered once some node has watched another. */
export function WatchToggle() {
  const hasWatches = useSim((s) => s.hasWatches);
  const show = useSim((s) => s.showWatches);
  const store = useSimStore();
  if (!hasWatches) return null;
  return (
    <label className="watch-toggle">
      <input type="checkbox" checked={show} onChange={(e) => store.setState({ showWatches: e.currentTarget.checked })} /> Show who watches whom
    </label>
  );
}

/** The view's pan and zoom: a point (x, y) of the drawing is drawn at (x·zoom + x, y·zoom + y) in its region. */
export interface View {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** Whether a node that was not there before (a replacement at the end of its row) is drawn out of sight in a region of that size. */
export function newNodeOutOfSight(nodes: readonly FlowNode[], previous: ReadonlySet<string>, view: View, width: number, height: number): boolean {
  const { x, y, zoom } = view;
  return nodes.some((n) => {
    if (previous.has(n.id)) return false;
    const left = n.position.x * zoom + x;
    const top = n.position.y * zoom + y;
    return left < 0 || top < 0 || left + (n.width ?? 0) * zoom > width || top + (n.height ?? 0) * zoom > height;
  });
}

/**
 * Everything a drawing of the graph shows, for the window as it is (`narrowQuery`: when data
 * centres stack): the nodes and boxes, the links and watches, the cards' rectangles, and the key
 * of this scenario's drawing (a new topology starts the view afresh, fitted; a replacement
 * appearing mid-run does not). `onFitted(size)` records that the view was fitted to this drawing
 * in a region of that size; `fitted` says whether it was (the tests wait for `data-fitted`).
 */
export function useGraph(narrowQuery: string) {
  const selection = useSim((s) => s.selection);
  const empty = useSim((s) => s.nodeIds.length === 0);
  const startingIds = useSim((s) => s.nodeIds.filter((id) => !s.nodesById[id]?.replaces).join(','));
  const narrow = useMedia(narrowQuery);
  const boxed = useRegionsMatter();
  const { nodes, drawing } = useLayoutNodes(narrow, boxed);
  const flow = useRef<HTMLDivElement>(null);
  useDrawingSize(flow, drawing);
  const flowKey = `${startingIds}${narrow ? ' stacked' : ''}${boxed ? ' boxed' : ''}`;
  // Which scenario and region size the view was last fitted to; a new scenario starts unfitted.
  const [fittedTo, setFittedTo] = useState('');
  const onFitted = useCallback((size: string) => setFittedTo(`${flowKey} ${size}`), [flowKey]);
  // Cards by node id; a data-centre box by its own id, as its header band (text a glyph must not cover).
  const cards = useMemo(
    () =>
      new Map<string, CardRect>(
        nodes.map((n) => {
          const rect = { x: n.position.x, y: n.position.y, width: n.width ?? NODE_WIDTH, height: n.height ?? 0 };
          return [n.id, n.type === 'region' ? headerAsText(rect, HEADER_ROOM) : rect];
        }),
      ),
    [nodes],
  );
  const links = useLinks(selection);
  const watches = useWatches();
  const edges = useMemo(() => [...links, ...watches], [links, watches]);
  return { empty, nodes, edges, cards, flow, flowKey, fitted: fittedTo.startsWith(`${flowKey} `), onFitted };
}
