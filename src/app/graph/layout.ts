/**
 * Where each node sits: grouped by data centre (primary on the left, DR on the right), the
 * orchestrators on a ring so that every link between them is visible, other kinds in rows
 * beneath. Computed once per topology; positions never depend on the run.
 */
import type { NodeKind } from '../../sim/machines/program';

export interface PlacedNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly region: 'primary' | 'dr';
  readonly x: number;
  readonly y: number;
}

export interface RegionBox {
  readonly region: 'primary' | 'dr';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly nodes: readonly PlacedNode[];
  readonly regions: readonly RegionBox[];
}

export const NODE_WIDTH = 132;
export const NODE_HEIGHT = 92;
/** A database card is a cylinder with one more line (its lag), so it is taller. */
export const DATABASE_HEIGHT = 128;

export function nodeHeight(kind: NodeKind): number {
  return kind === 'database' ? DATABASE_HEIGHT : NODE_HEIGHT;
}
const PAD = 48;
const TITLE = 40;
const ROW_GAP = 40;
const REGION_GAP = 120;
const STACKED_GAP = 40;
const ROW_ORDER: readonly NodeKind[] = ['load-balancer', 'server', 'database', 'witness', 'backup'];

interface Input {
  readonly id: string;
  readonly kind: NodeKind;
  readonly region: 'primary' | 'dr';
}

/** Top-left corners of `count` nodes on a ring, the first at the top. */
function ring(count: number): { x: number; y: number }[] {
  if (count === 1) return [{ x: 0, y: 0 }];
  const radius = Math.max(170, (count * (NODE_WIDTH + 110)) / (2 * Math.PI));
  return Array.from({ length: count }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
    return { x: radius + radius * Math.cos(angle), y: radius + radius * Math.sin(angle) };
  });
}

function layoutRegion(nodes: readonly Input[], originX: number, originY: number, region: 'primary' | 'dr'): { placed: PlacedNode[]; box: RegionBox } {
  const placed: PlacedNode[] = [];
  const ringed = ring(nodes.filter((n) => n.kind === 'orchestrator').length);
  const orchestrators = nodes.filter((n) => n.kind === 'orchestrator');
  orchestrators.forEach((n, i) => placed.push({ ...n, x: originX + PAD + ringed[i]!.x, y: originY + TITLE + PAD + ringed[i]!.y }));
  let width = orchestrators.length > 0 ? Math.max(...placed.map((p) => p.x)) - originX + NODE_WIDTH : 0;
  let y = orchestrators.length > 0 ? Math.max(...placed.map((p) => p.y)) + NODE_HEIGHT + ROW_GAP : originY + TITLE + PAD;
  for (const kind of ROW_ORDER) {
    const row = nodes.filter((n) => n.kind === kind);
    if (row.length === 0) continue;
    row.forEach((n, i) => placed.push({ ...n, x: originX + PAD + i * (NODE_WIDTH + 24), y }));
    width = Math.max(width, PAD + row.length * (NODE_WIDTH + 24));
    y += nodeHeight(kind) + ROW_GAP;
  }
  const height = (placed.length > 0 ? Math.max(...placed.map((p) => p.y + nodeHeight(p.kind))) + PAD : originY + TITLE + PAD * 2) - originY;
  return { placed, box: { region, x: originX, y: originY, width: Math.max(width + PAD, 260), height } };
}

/**
 * `stacked` puts the DR data centre under the primary one instead of beside it: on a narrow
 * screen two boxes side by side would shrink every node below legibility.
 */
export function layout(nodes: readonly Input[], stacked = false): Layout {
  const primary = layoutRegion(nodes.filter((n) => n.region === 'primary'), 0, 0, 'primary');
  const regions = [primary.box];
  const placed = [...primary.placed];
  const drNodes = nodes.filter((n) => n.region === 'dr');
  if (drNodes.length > 0) {
    const dr = stacked
      ? layoutRegion(drNodes, 0, primary.box.height + STACKED_GAP, 'dr')
      : layoutRegion(drNodes, primary.box.width + REGION_GAP, 0, 'dr');
    regions.push(dr.box);
    placed.push(...dr.placed);
  }
  return { nodes: placed, regions };
}
