/**
 * The live graph: data-centre boxes (where the scenario's data centres matter), nodes, the network
 * links between them, the messages on the links (drawn above the cards) and, on request, who
 * health-checks whom. Node and edge types are registered once at module scope; each component
 * reads its own slice of the store. The graph is fitted to its region once per scenario and
 * window size; the node set follows the frames (a replacement appears mid-run), the layout keeps
 * every node where it was, and the view refits only when a new node would be out of sight.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { getNodesBounds, getViewportForBounds, MarkerType, Panel, ReactFlow, useReactFlow, useStore, type Edge, type EdgeChange, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { NodeKind } from '../../sim';
import { select, useSim, type Selection } from '../store/sim-store';
import { linkKeys } from './links';
import { layout, nodeHeight, NODE_WIDTH, type Layout, type RegionBox } from './layout';
import { DatabaseNode } from './DatabaseNode';
import { LinkEdge, linkState, MessagesEdge, type LinkData } from './LinkEdge';
import { OrchestratorNode, type SimNodeData } from './OrchestratorNode';
import { RegionNode, type RegionData } from './RegionNode';
import { ServiceNode } from './ServiceNode';
import { WATCH_COLOURS, WatchEdge, type WatchData } from './WatchEdge';
import { watchEdges } from './services';
import { Legend } from './Legend';
import { CardRects } from './message-path';

const nodeTypes = { sim: OrchestratorNode, database: DatabaseNode, service: ServiceNode, region: RegionNode };
const edgeTypes = { link: LinkEdge, messages: MessagesEdge, watch: WatchEdge };

type FlowNode = Node<SimNodeData, 'sim' | 'database' | 'service'> | Node<RegionData, 'region'>;

function nodeType(kind: NodeKind): 'sim' | 'database' | 'service' {
  if (kind === 'database') return 'database';
  return kind === 'load-balancer' || kind === 'server' ? 'service' : 'sim';
}

const NARROW_QUERY = '(max-width: 760px)';
/**
 * In an embed the frame is the article's column. Two data centres side by side need about 1,100
 * graph units across (the combined setup), which a 640 px column would draw at half size; stacked
 * they take half the width and the embed's graph grows taller instead (embed.css).
 */
const COMPACT_NARROW_QUERY = '(max-width: 760px)';

/** Room around the drawing when it is fitted; more at the bottom, where the watch switch and the legend sit. */
const FIT_PADDING = { top: '16px', right: '16px', bottom: '48px', left: '16px' } as const;
/** A three-node lesson is drawn large, not gigantic. */
const FIT = { padding: FIT_PADDING, maxZoom: 1.6 } as const;
/** Messages are drawn above every card: React Flow puts edges with a z-index above nodes' in a layer of their own. */
const MESSAGES_Z = 1000;

const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

/** Whether a media query matches (a narrow screen, a wish for less motion), following it as it changes. */
function useMedia(media: string): boolean {
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
function useRegionsMatter(): boolean {
  return useSim((s) => {
    const scenario = s.recorded;
    if (!scenario || !scenario.steps || scenario.steps.length === 0) return true;
    if (scenario.events.some((e) => e.do === 'region-down' || e.do === 'region-up')) return true;
    return s.nodeIds.some((id) => s.nodesById[id]?.region === 'dr');
  });
}

/** The drawing's size in graph units: its nodes and data-centre boxes. */
interface Drawing {
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
function useLayoutNodes(stacked: boolean, boxed: boolean): { nodes: FlowNode[]; drawing: Drawing } {
  const nodeIds = useSim((s) => s.nodeIds);
  return useMemo(() => {
    const byId = useSim.getState().nodesById;
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
  }, [nodeIds, stacked, boxed]);
}

/**
 * Tells the graph's region how large a drawing it holds (`--drawing-width`, `--drawing-height`, in
 * graph units, on the element around the flow), so that a region whose height is free (the embed,
 * a phone) can take the height that draws this scenario legibly (embed.css, styles.css).
 */
function useDrawingSize(flow: RefObject<HTMLDivElement | null>, drawing: Drawing): void {
  useLayoutEffect(() => {
    const region = flow.current?.parentElement;
    if (!region) return;
    region.style.setProperty('--drawing-width', String(Math.round(drawing.width)));
    region.style.setProperty('--drawing-height', String(Math.round(drawing.height)));
  }, [flow, drawing.width, drawing.height]);
}

/** Each link twice: the line under the cards, and its messages above them (never focusable, never hit). */
function useLinks(selection: Selection): Edge<LinkData, 'link' | 'messages'>[] {
  const nodeIds = useSim((s) => s.nodeIds);
  const faults = useSim((s) => s.faults);
  const talked = useSim((s) => s.talkedLinks);
  return useMemo(() => {
    const byId = useSim.getState().nodesById;
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
  }, [nodeIds, faults, selection, talked]);
}

/** A signature of the current watches ("lb>api-1:balancer orch-1>orch-2:leader"), so the edges rebuild only when one changes. */
function useWatchSignature(): string {
  return useSim((s) => (s.showWatches ? watchEdges(s.nodeIds, s.nodesById).map((e) => `${e.watcher}>${e.watched}:${e.kind}`).join(' ') : ''));
}

function useWatches(): Edge<WatchData, 'watch'>[] {
  const signature = useWatchSignature();
  return useMemo(() => {
    if (signature === '') return [];
    const byId = useSim.getState().nodesById;
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
        markerEnd: { type: MarkerType.ArrowClosed, color: WATCH_COLOURS[kind], width: 14, height: 14 },
        selectable: false,
        focusable: false,
        deletable: false,
        interactionWidth: 0,
        className: 'watch-edge',
        ariaLabel: `${watcher} watches ${watched}`,
      };
    });
  }, [signature]);
}

/**
 * Fits the drawing to its region once the nodes have their size, and again only when the region
 * changes size (the window did: rotation, projector). The region's size depends on the window
 * alone, so panels coming and going never move a node. Says so on the flow (`data-fitted`), which
 * the tests wait for before measuring.
 */
function FitToRegion({ nodes, onFitted }: { nodes: readonly FlowNode[]; onFitted: (size: string) => void }) {
  const { setViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const minZoom = useStore((s) => s.minZoom);
  // Nodes carry their own size (the layout's), so the view can be fitted as soon as it can pan and zoom.
  const ready = useStore((s) => s.panZoom !== null);
  // Fitted to the nodes the scenario starts with: a replacement appearing later does not refit (FitOnNewNode may).
  const first = useRef(nodes);
  useEffect(() => {
    if (!ready || width === 0 || height === 0) return;
    void setViewport(getViewportForBounds(getNodesBounds([...first.current]), width, height, minZoom, FIT.maxZoom, FIT.padding));
    onFitted(`${width}x${height}`);
  }, [ready, width, height, minZoom, setViewport, onFitted]);
  return null;
}

/**
 * When a node appears out of sight (a replacement at the end of its row), glides the view out to
 * show everything; with reduced motion the view jumps instead. A node that is already in view, or
 * the user's own zoom when nothing new is hidden, is left alone.
 */
function FitOnNewNode({ nodes }: { nodes: readonly FlowNode[] }) {
  const { fitView, getViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const reduced = useMedia(REDUCED_MOTION_QUERY);
  const seen = useRef<ReadonlySet<string> | null>(null);
  useEffect(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const previous = seen.current;
    seen.current = ids;
    if (!previous || width === 0) return;
    const { x, y, zoom } = getViewport();
    const hidden = nodes.some((n) => {
      if (previous.has(n.id)) return false;
      const left = n.position.x * zoom + x;
      const top = n.position.y * zoom + y;
      return left < 0 || top < 0 || left + (n.width ?? 0) * zoom > width || top + (n.height ?? 0) * zoom > height;
    });
    if (hidden) void fitView({ ...FIT, duration: reduced ? 0 : 400 });
  }, [nodes, width, height, fitView, getViewport, reduced]);
  return null;
}

/** The "Show who watches whom" switch, offered once some node has watched another. */
function WatchToggle() {
  const hasWatches = useSim((s) => s.hasWatches);
  const show = useSim((s) => s.showWatches);
  if (!hasWatches) return null;
  return (
    <label className="watch-toggle">
      <input type="checkbox" checked={show} onChange={(e) => useSim.setState({ showWatches: e.currentTarget.checked })} /> Show who watches whom
    </label>
  );
}

/**
 * `compact`: the embed's graph, a fixed picture in an article. It neither pans nor zooms, so that
 * a reader's wheel or finger scrolls the article instead of getting caught in the drawing.
 */
const STILL = { panOnDrag: false, zoomOnScroll: false, zoomOnPinch: false, zoomOnDoubleClick: false, preventScrolling: false } as const;

export function GraphView({ compact = false }: { readonly compact?: boolean }) {
  const selection = useSim((s) => s.selection);
  const nodeIds = useSim((s) => s.nodeIds);
  // A new topology (another scenario) starts the view afresh, fitted; a replacement appearing mid-run does not.
  const startingIds = useSim((s) => s.nodeIds.filter((id) => !s.nodesById[id]?.replaces).join(','));
  const narrow = useMedia(compact ? COMPACT_NARROW_QUERY : NARROW_QUERY);
  const boxed = useRegionsMatter();
  const { nodes, drawing } = useLayoutNodes(narrow, boxed);
  const flow = useRef<HTMLDivElement>(null);
  useDrawingSize(flow, drawing);
  const flowKey = `${startingIds}${narrow ? ' stacked' : ''}${boxed ? ' boxed' : ''}`;
  // Which scenario and region size the view was last fitted to; a new scenario starts unfitted.
  const [fitted, setFitted] = useState('');
  const onFitted = useCallback((size: string) => setFitted(`${flowKey} ${size}`), [flowKey]);
  const cards = useMemo(
    () => new Map(nodes.filter((n) => n.type !== 'region').map((n) => [n.id, { x: n.position.x, y: n.position.y, width: n.width ?? NODE_WIDTH, height: n.height ?? 0 }])),
    [nodes],
  );
  const links = useLinks(selection);
  const watches = useWatches();
  const edges = useMemo(() => [...links, ...watches], [links, watches]);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    for (const change of changes) {
      if (change.type !== 'select' || !change.selected || !change.id.startsWith('link:')) continue;
      const [a, b] = change.id.replace('link:', '').split('|');
      if (a && b) select({ kind: 'link', a, b });
    }
  }, []);
  if (nodeIds.length === 0) return <div className="graph-empty">No nodes to draw yet.</div>;
  return (
    <CardRects.Provider value={cards}>
      <ReactFlow
        ref={flow}
        key={flowKey}
        data-fitted={fitted.startsWith(`${flowKey} `) ? 'true' : 'false'}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onEdgesChange={onEdgesChange}
        onEdgeClick={(_, edge) => {
          if (edge.type === 'link') select({ kind: 'link', a: edge.source, b: edge.target });
        }}
        onPaneClick={() => select(null)}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable
        fitView
        fitViewOptions={FIT}
        minZoom={0.2}
        maxZoom={2.5}
        proOptions={{ hideAttribution: true }}
        aria-label="The simulated system"
        {...(compact ? STILL : {})}
      >
        <FitToRegion nodes={nodes} onFitted={onFitted} />
        <FitOnNewNode nodes={nodes} />
        <Panel position="bottom-left" className="graph-tools">
          <WatchToggle />
          <Legend />
        </Panel>
      </ReactFlow>
    </CardRects.Provider>
  );
}
