/**
 * Where each node sits: grouped by data centre (primary on the left, DR on the right, or under it
 * on a narrow screen), the orchestrators on a ring so that every link between them is visible,
 * other kinds in rows beneath.
 *
 * The node set grows while a run goes on (a dead server or orchestrator gets a replacement), and a
 * node that is already drawn must never move when another appears. So the layout is a pure
 * function of the node list with one promise: appending nodes to the list leaves every earlier
 * node, and every data-centre box's corner, where it was. The nodes a topology starts with (those
 * that replace nobody) fix the boxes; a replacement goes into a growth slot that points away from
 * every neighbour: a server at the end of the server row, an orchestrator in a column beside the
 * ring. Where a box has a neighbour to its right (the DR box beside the primary one) it cannot grow
 * rightwards, so once its row is full a replacement goes onto a spare line at the bottom of its box.
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
/** Room for the box's header: its title and switch on two lines, even when zoomed out on a phone makes them grow (RegionNode). */
const TITLE = 56;
const MIN_REGION_WIDTH = 300;
const ROW_GAP = 40;
const COLUMN_GAP = 24;
const REGION_GAP = 120;
const STACKED_GAP = 40;
/** Room left at the end of the server row, where a DR box beside stops the row from growing: replacements fill it first. */
const SPARE_SERVER_SLOTS = 2;
const ROW_ORDER: readonly NodeKind[] = ['load-balancer', 'server', 'database', 'witness', 'backup'];

export interface LayoutInput {
  readonly id: string;
  readonly kind: NodeKind;
  readonly region: 'primary' | 'dr';
  /** Set on a node that appeared during the run to replace another: it goes into a growth slot. */
  readonly replaces?: string | null;
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

interface RegionPlan {
  readonly placed: PlacedNode[];
  readonly box: RegionBox;
  /** Where a row of each kind starts its next node (the slot after its last), by kind. */
  readonly rowEnds: Map<NodeKind, { x: number; y: number }>;
  /** The ring's right edge and its vertical span, for the orchestrators' spare columns; null without a ring. */
  readonly ring: { right: number; top: number; bottom: number } | null;
  /** The lowest bottom edge of any node, for the spare lines. */
  readonly bottom: number;
}

/** The nodes a region starts with, laid out as they always were; `spareServers` widens the box for replacements. */
function planRegion(nodes: readonly LayoutInput[], originX: number, originY: number, region: 'primary' | 'dr', spareServers: number): RegionPlan {
  const placed: PlacedNode[] = [];
  const rowEnds = new Map<NodeKind, { x: number; y: number }>();
  const orchestrators = nodes.filter((n) => n.kind === 'orchestrator');
  const ringed = ring(orchestrators.length);
  const top = originY + TITLE + PAD;
  orchestrators.forEach((n, i) => placed.push({ id: n.id, kind: n.kind, region, x: originX + PAD + ringed[i]!.x, y: top + ringed[i]!.y }));
  const ringBox = orchestrators.length > 0 ? { right: Math.max(...placed.map((p) => p.x)) + NODE_WIDTH, top, bottom: Math.max(...placed.map((p) => p.y)) + NODE_HEIGHT } : null;
  let width = ringBox ? ringBox.right - originX : 0;
  let y = ringBox ? ringBox.bottom + ROW_GAP : top;
  for (const kind of ROW_ORDER) {
    const row = nodes.filter((n) => n.kind === kind);
    if (row.length === 0) continue;
    // A lone load balancer sits over the middle of the servers it feeds.
    const servers = kind === 'load-balancer' && row.length === 1 ? nodes.filter((n) => n.kind === 'server').length : 0;
    const indent = servers > 1 ? ((servers - 1) * (NODE_WIDTH + COLUMN_GAP)) / 2 : 0;
    row.forEach((n, i) => placed.push({ id: n.id, kind: n.kind, region, x: originX + PAD + indent + i * (NODE_WIDTH + COLUMN_GAP), y }));
    rowEnds.set(kind, { x: originX + PAD + indent + row.length * (NODE_WIDTH + COLUMN_GAP), y });
    const slots = row.length + (kind === 'server' ? spareServers : 0);
    width = Math.max(width, PAD + slots * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP);
    y += nodeHeight(kind) + ROW_GAP;
  }
  const bottom = placed.length > 0 ? Math.max(...placed.map((p) => p.y + nodeHeight(p.kind))) : originY + TITLE + PAD;
  const height = bottom + PAD - originY;
  return { placed, rowEnds, ring: ringBox, bottom, box: { region, x: originX, y: originY, width: Math.max(width + PAD, MIN_REGION_WIDTH), height } };
}

function overlaps(a: PlacedNode, b: PlacedNode): boolean {
  return a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + nodeHeight(b.kind) && b.y < a.y + nodeHeight(a.kind);
}

/**
 * Places the region's replacements, in the order they appeared. `rightEdge` is how far right a node
 * may reach (Infinity when nothing lies to the right of the box).
 */
function placeReplacements(plan: RegionPlan, replacements: readonly LayoutInput[], rightEdge: number): PlacedNode[] {
  const placed: PlacedNode[] = [];
  const rowEnds = new Map(plan.rowEnds);
  const originX = plan.box.x;
  const spare = { x: originX + PAD, y: plan.bottom + ROW_GAP };
  const taken = (candidate: PlacedNode) => [...plan.placed, ...placed].some((p) => overlaps(p, candidate));
  const fits = (x: number) => x + NODE_WIDTH <= rightEdge;
  /** The next slot in the orchestrators' spare columns beside the ring: down a column as tall as the ring, then a new column. */
  let column = plan.ring ? { x: plan.ring.right + COLUMN_GAP * 2, y: plan.ring.top } : null;
  const onSpareLine = (n: LayoutInput): PlacedNode => {
    if (rightEdge === Infinity) {
      // Nothing lies to the right, but something may lie below (a DR box under this one): grow rightwards, at the top.
      const right = Math.max(...[...plan.placed, ...placed].map((q) => q.x + NODE_WIDTH), originX);
      return { id: n.id, kind: n.kind, region: plan.box.region, x: right + COLUMN_GAP, y: plan.box.y + TITLE + PAD };
    }
    if (!fits(spare.x) && spare.x > originX + PAD) {
      spare.x = originX + PAD;
      spare.y += DATABASE_HEIGHT + ROW_GAP;
    }
    const p = { id: n.id, kind: n.kind, region: plan.box.region, x: spare.x, y: spare.y };
    spare.x += NODE_WIDTH + COLUMN_GAP;
    return p;
  };
  for (const n of replacements) {
    const base = { id: n.id, kind: n.kind, region: plan.box.region };
    let p: PlacedNode | null = null;
    if (n.kind === 'orchestrator' && column && plan.ring) {
      if (column.y + NODE_HEIGHT > plan.ring.bottom && column.y > plan.ring.top) column = { x: column.x + NODE_WIDTH + COLUMN_GAP, y: plan.ring.top };
      const candidate = { ...base, ...column };
      if (fits(candidate.x) && !taken(candidate)) {
        p = candidate;
        column = { x: column.x, y: column.y + NODE_HEIGHT + ROW_GAP };
      }
    } else {
      const end = rowEnds.get(n.kind);
      const candidate = end ? { ...base, ...end } : null;
      if (candidate && fits(candidate.x) && !taken(candidate)) {
        p = candidate;
        rowEnds.set(n.kind, { x: end!.x + NODE_WIDTH + COLUMN_GAP, y: end!.y });
      }
    }
    placed.push(p ?? onSpareLine(n));
  }
  return placed;
}

/** The box around the region's nodes: never smaller than the box its starting nodes gave it, so its corner never moves. */
function grownBox(box: RegionBox, nodes: readonly PlacedNode[]): RegionBox {
  const right = Math.max(box.x + box.width, ...nodes.map((n) => n.x + NODE_WIDTH + PAD));
  const bottom = Math.max(box.y + box.height, ...nodes.map((n) => n.y + nodeHeight(n.kind) + PAD));
  return { ...box, width: right - box.x, height: bottom - box.y };
}

/**
 * `stacked` puts the DR data centre under the primary one instead of beside it: on a narrow
 * screen two boxes side by side would shrink every node below legibility.
 */
export function layout(nodes: readonly LayoutInput[], stacked = false): Layout {
  const starting = nodes.filter((n) => !n.replaces);
  const replacements = nodes.filter((n) => n.replaces);
  const inRegion = (list: readonly LayoutInput[], region: 'primary' | 'dr') => list.filter((n) => n.region === region);
  const hasDr = starting.some((n) => n.region === 'dr');
  const drBeside = hasDr && !stacked;
  const primary = planRegion(inRegion(starting, 'primary'), 0, 0, 'primary', drBeside ? SPARE_SERVER_SLOTS : 0);
  const primaryExtra = placeReplacements(primary, inRegion(replacements, 'primary'), drBeside ? primary.box.x + primary.box.width - PAD : Infinity);
  const placed = [...primary.placed, ...primaryExtra];
  const regions = [grownBox(primary.box, primaryExtra)];
  if (hasDr) {
    // The DR box's corner depends only on the primary box of the starting nodes, which replacements never change.
    const dr = stacked
      ? planRegion(inRegion(starting, 'dr'), 0, primary.box.height + STACKED_GAP, 'dr', 0)
      : planRegion(inRegion(starting, 'dr'), primary.box.width + REGION_GAP, 0, 'dr', 0);
    const drExtra = placeReplacements(dr, inRegion(replacements, 'dr'), Infinity);
    placed.push(...dr.placed, ...drExtra);
    regions.push(grownBox(dr.box, drExtra));
  }
  // The graph draws nodes in the order the simulation lists them (stable for links and focus order).
  const byId = new Map(placed.map((p) => [p.id, p]));
  return { nodes: nodes.map((n) => byId.get(n.id)).filter((p): p is PlacedNode => p !== undefined), regions };
}
