/**
 * The live graph: data-centre boxes, nodes and the links between them. Node and edge types are
 * registered once at module scope; each component reads its own slice of the store.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { MiniMap, Panel, ReactFlow, useReactFlow, useStore, type Edge, type EdgeChange, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { select, useSim, type Selection } from '../store/sim-store';
import { linkKeys } from './links';
import { layout, nodeHeight, NODE_WIDTH } from './layout';
import { DatabaseNode } from './DatabaseNode';
import { LinkEdge, linkState, type LinkData } from './LinkEdge';
import { OrchestratorNode, type SimNodeData } from './OrchestratorNode';
import { RegionNode, type RegionData } from './RegionNode';
import { Legend } from './Legend';

const nodeTypes = { sim: OrchestratorNode, database: DatabaseNode, region: RegionNode };
const edgeTypes = { link: LinkEdge };

type FlowNode = Node<SimNodeData, 'sim' | 'database'> | Node<RegionData, 'region'>;

const NARROW_QUERY = '(max-width: 760px)';

/** Whether the screen is narrow (a phone), following it as it rotates. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = matchMedia(NARROW_QUERY);
    const onChange = () => setNarrow(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return narrow;
}

function useLayoutNodes(stacked: boolean): FlowNode[] {
  const nodeIds = useSim((s) => s.nodeIds);
  return useMemo(() => {
    const byId = useSim.getState().nodesById;
    const placed = layout(
      nodeIds.map((id) => ({ id, kind: byId[id]!.kind, region: byId[id]!.region })),
      stacked,
    );
    const regions: FlowNode[] = placed.regions.map((box) => ({
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
      type: n.kind === 'database' ? 'database' : 'sim',
      position: { x: n.x, y: n.y },
      data: { id: n.id },
      width: NODE_WIDTH,
      height: nodeHeight(n.kind),
      selectable: false,
      focusable: false,
      draggable: false,
    }));
    return [...regions, ...nodes];
  }, [nodeIds, stacked]);
}

function useLinks(selection: Selection): Edge<LinkData, 'link'>[] {
  const nodeIds = useSim((s) => s.nodeIds);
  const faults = useSim((s) => s.faults);
  const talked = useSim((s) => s.talkedLinks);
  return useMemo(() => {
    const byId = useSim.getState().nodesById;
    return linkKeys(nodeIds, (id) => byId[id]?.kind, talked).map((key) => {
      const [a, b] = key.split('|') as [string, string];
      const state = linkState(faults, a, b);
      return {
        id: `link:${a}|${b}`,
        source: a,
        target: b,
        type: 'link' as const,
        data: { a, b },
        selected: selection?.kind === 'link' && selection.a === a && selection.b === b,
        ariaLabel: `Link ${a} – ${b}, ${state}`,
      };
    });
  }, [nodeIds, faults, selection, talked]);
}

/** Fits the drawing to the panel again whenever the panel changes size (rotation, projector). */
function FitOnResize() {
  const { fitView } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    const timer = setTimeout(() => void fitView({ padding: 0.08 }), 50);
    return () => clearTimeout(timer);
  }, [width, height, fitView]);
  return null;
}

export function GraphView() {
  const selection = useSim((s) => s.selection);
  const nodeIds = useSim((s) => s.nodeIds);
  const narrow = useNarrow();
  const nodes = useLayoutNodes(narrow);
  const edges = useLinks(selection);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    for (const change of changes) {
      if (change.type !== 'select' || !change.selected) continue;
      const [a, b] = change.id.replace('link:', '').split('|');
      if (a && b) select({ kind: 'link', a, b });
    }
  }, []);
  if (nodeIds.length === 0) return <div className="graph-empty">No nodes to draw yet.</div>;
  return (
    <ReactFlow
      key={`${nodeIds.join(',')}${narrow ? ' stacked' : ''}`}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onEdgesChange={onEdgesChange}
      onEdgeClick={(_, edge) => select({ kind: 'link', a: edge.source, b: edge.target })}
      onPaneClick={() => select(null)}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable
      fitView
      fitViewOptions={{ padding: 0.08 }}
      minZoom={0.2}
      maxZoom={2.5}
      proOptions={{ hideAttribution: true }}
      aria-label="The simulated system"
    >
      <FitOnResize />
      <Panel position="bottom-left">
        <Legend />
      </Panel>
      {nodeIds.length > 12 && <MiniMap pannable zoomable />}
    </ReactFlow>
  );
}
