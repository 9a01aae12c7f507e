/**
 * The live graph: data-centre boxes (where the scenario's data centres matter), nodes, the network
 * links between them, the messages on the links (drawn above the cards) and, on request, who
 * health-checks whom. Node and edge types are registered once at module scope; each component
 * reads its own slice of the store. The graph is fitted to its region once per scenario and
 * window size; the node set follows the frames (a replacement appears mid-run), the layout keeps
 * every node where it was, and the view refits only when a new node would be out of sight.
 * What it draws is graph-model.tsx's; an embed draws the same still, without React Flow (StillGraph.tsx).
 */
import { useCallback, useEffect, useRef } from 'react';
import { getNodesBounds, getViewportForBounds, Handle, Panel, Position, ReactFlow, useReactFlow, useStore, type EdgeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { usePresenter } from '../presenter/presenter-store';
import { select } from '../store/sim-store';
import { Legend } from './Legend';
import { CardRects } from './message-path';
import { FlowPartsProvider, type FlowParts } from './flow-parts';
import { edgeTypes, FIT, MIN_ZOOM, NARROW_QUERY, newNodeOutOfSight, nodeTypes, REDUCED_MOTION_QUERY, ringSafePadding, useGraph, useMedia, WatchToggle, type FlowNode } from './graph-model';

const hiddenHandle = { opacity: 0, top: '50%', left: '50%', pointerEvents: 'none' as const };

function useZoomedInReactFlow<T>(select: (zoom: number) => T): T {
  return useStore((s) => select(s.transform[2]));
}

function HiddenHandles() {
  return (
    <>
      <Handle type="source" position={Position.Top} style={hiddenHandle} isConnectable={false} />
      <Handle type="target" position={Position.Top} style={hiddenHandle} isConnectable={false} />
    </>
  );
}

/** What the cards and links read from React Flow: its zoom, and the hidden handles its links attach to. */
const REACT_FLOW_PARTS: FlowParts = { useZoomed: useZoomedInReactFlow, Handles: HiddenHandles };

/**
 * The view that shows `nodes` within the region: fitted once with FIT's padding, then again with
 * the padding that zoom needs for a lesson's ring and glow, so neither is cut at the region's edge.
 */
function ringSafeView(nodes: readonly FlowNode[], width: number, height: number, minZoom: number, maxZoom: number) {
  const bounds = getNodesBounds([...nodes]);
  const rough = getViewportForBounds(bounds, width, height, minZoom, maxZoom, FIT.padding);
  return getViewportForBounds(bounds, width, height, minZoom, maxZoom, ringSafePadding(rough.zoom));
}

/**
 * Fits the drawing to its region once the nodes have their size, and again only when the region
 * changes size (the window did: rotation, projector). The region's size depends on the window
 * alone, so panels coming and going never move a node. Says so on the flow (`data-fitted`), which
 * the tests wait for before measuring.
 */
function FitToRegion({ nodes, maxZoom, onFitted }: { nodes: readonly FlowNode[]; maxZoom: number; onFitted: (size: string) => void }) {
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
    void setViewport(ringSafeView(first.current, width, height, minZoom, maxZoom));
    onFitted(`${width}x${height}`);
  }, [ready, width, height, minZoom, maxZoom, setViewport, onFitted]);
  return null;
}

/**
 * When a node appears out of sight (a replacement at the end of its row), glides the view out to
 * show everything, with the same room for a lesson's ring as the first fit; with reduced motion
 * the view jumps instead. A node that is already in view, or the user's own zoom when nothing new
 * is hidden, is left alone.
 */
function FitOnNewNode({ nodes, maxZoom }: { nodes: readonly FlowNode[]; maxZoom: number }) {
  const { setViewport, getViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const minZoom = useStore((s) => s.minZoom);
  const reduced = useMedia(REDUCED_MOTION_QUERY);
  const seen = useRef<ReadonlySet<string> | null>(null);
  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(nodes.map((n) => n.id));
    if (!previous || width === 0) return;
    if (newNodeOutOfSight(nodes, previous, getViewport(), width, height)) void setViewport(ringSafeView(nodes, width, height, minZoom, maxZoom), { duration: reduced ? 0 : 400 });
  }, [nodes, width, height, minZoom, maxZoom, setViewport, getViewport, reduced]);
  return null;
}

/**
 * On a projector a small drawing (a three-node lesson) may be drawn larger than on a laptop, where
 * 1.6 keeps it from looking gigantic: at 1.6 it filled only half of presenter mode's graph region.
 */
const PRESENTER_FIT = { ...FIT, maxZoom: 2.5 } as const;

export function GraphView() {
  const { empty, nodes, edges, cards, flow, flowKey, fitted, onFitted } = useGraph(NARROW_QUERY);
  const fit = usePresenter((s) => s.on) ? PRESENTER_FIT : FIT;
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    for (const change of changes) {
      if (change.type !== 'select' || !change.selected || !change.id.startsWith('link:')) continue;
      const [a, b] = change.id.replace('link:', '').split('|');
      if (a && b) select({ kind: 'link', a, b });
    }
  }, []);
  if (empty) return <div className="graph-empty">No nodes to draw yet.</div>;
  return (
    <FlowPartsProvider value={REACT_FLOW_PARTS}>
      <CardRects.Provider value={cards}>
        <ReactFlow
          ref={flow}
          key={flowKey}
          data-fitted={fitted ? 'true' : 'false'}
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
          fitViewOptions={fit}
          minZoom={MIN_ZOOM}
          maxZoom={2.5}
          proOptions={{ hideAttribution: true }}
          aria-label="The simulated system"
        >
          <FitToRegion nodes={nodes} maxZoom={fit.maxZoom} onFitted={onFitted} />
          <FitOnNewNode nodes={nodes} maxZoom={fit.maxZoom} />
          <Panel position="bottom-left" className="graph-tools">
            <WatchToggle />
            <Legend />
          </Panel>
        </ReactFlow>
      </CardRects.Provider>
    </FlowPartsProvider>
  );
}
