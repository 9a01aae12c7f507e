/**
 * Where each node sits: grouped by data centre (primary on the left, DR on the right, or under it
 * on a narrow screen), in tiers from top to bottom: orchestrators, load balancer, API servers,
 * database (with witness and backup stores). Orchestrators alone sit on a ring so that every link
 * between them is visible.
 *
 * The node set grows while a run goes on (a dead server or orchestrator gets a replacement), and a
 * node that is already drawn must never move when another appears. So the layout is a pure
 * function of the node list with one promise: appending nodes to the list leaves every earlier
 * node, and every data-centre box's corner, where it was. The nodes a topology starts with (those
 * that replace nobody) fix the boxes; a replacement goes into a growth slot that points away from
 * every neighbour: a server at the end of the server row, an orchestrator at the end of its row
 * (or in a column beside the ring). Where a box has a neighbour to its right (the DR box beside the primary one) it cannot grow
 * rightwards, so once its row is full a replacement goes onto a spare line at the bottom of its box.
 */
import type { NodeKind } from '../../sim';

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

/** Margins of a data-centre box; without boxes (a scenario whose regions do not matter) the nodes need none. */
interface Frame {
  readonly pad: number;
  /** Room for the box's header: its title and switch, even when zoomed out on a phone makes them grow (RegionNode). */
  readonly title: number;
}
/** The room a data-centre box leaves above its first row for its header (title, dark note, switch). */
export const HEADER_ROOM = 44;
const BOXED: Frame = { pad: 16, title: HEADER_ROOM };
const BARE: Frame = { pad: 0, title: 0 };
const MIN_REGION_WIDTH = 300;
const ROW_GAP = 36;
const COLUMN_GAP = 16;
const SLOT = NODE_WIDTH + COLUMN_GAP;
const REGION_GAP = 60;
const STACKED_GAP = 24;
/** Room left at the end of the server row, where a DR box beside stops the row from growing: replacements fill it first. */
const SPARE_SERVER_SLOTS = 2;
/** A longer server row wraps, so that a large tier does not shrink the whole drawing into a ribbon. */
const SERVERS_PER_ROW = 7;
/**
 * On a narrow screen (stacked) the drawing's width decides its zoom: four servers across (and a
 * fourth orchestrator appended to its row) drew servers-worker-dies' ids at 9.4 px on a 390 px
 * phone. There a server row wraps after three, and a replacement that would widen the drawing
 * goes onto a spare line under it instead, so the drawing is as wide as its widest starting row.
 */
const NARROW_SERVERS_PER_ROW = 3;
/**
 * Tiers top to bottom: the control plane, the way in, the stateless tier, then the state (database
 * nodes with the witness and the backup stores beside them, in one row).
 */
const TIERS: readonly (readonly NodeKind[])[] = [['orchestrator'], ['load-balancer'], ['server'], ['database', 'witness', 'backup']];

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
  const radius = Math.max(130, (count * (NODE_WIDTH + 80)) / (2 * Math.PI));
  return Array.from({ length: count }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
    return { x: radius + radius * Math.cos(angle), y: radius + radius * Math.sin(angle) };
  });
}

interface RegionPlan {
  readonly placed: PlacedNode[];
  readonly box: RegionBox;
  readonly frame: Frame;
  /** Where a row of each kind starts its next node (the slot after its last), by kind. */
  readonly rowEnds: Map<NodeKind, { x: number; y: number }>;
  /** The ring's right edge and its vertical span, for the orchestrators' spare columns; null without a ring. */
  readonly ring: { right: number; top: number; bottom: number } | null;
  /** The lowest bottom edge of any node, for the spare lines. */
  readonly bottom: number;
}

/** How many slots wide a tier's row is, and how many rows it takes. */
function tierShape(kinds: readonly NodeKind[], count: number, spareServers: number, perRow: number): { columns: number; rows: number } {
  if (!kinds.includes('server')) return { columns: count, rows: 1 };
  const columns = Math.min(count, perRow);
  const rows = Math.ceil(count / columns);
  return { columns: rows === 1 ? columns + spareServers : columns, rows };
}

/**
 * The nodes a region starts with. Orchestrators alone sit on a ring (every link between them
 * visible); with other tiers they are the top row. Each tier's row is centred in the box;
 * `spareServers` widens the server row for replacements.
 */
function planRegion(
  nodes: readonly LayoutInput[],
  originX: number,
  originY: number,
  region: 'primary' | 'dr',
  spareServers: number,
  frame: Frame,
  minWidth = MIN_REGION_WIDTH,
  serversPerRow = SERVERS_PER_ROW,
): RegionPlan {
  const placed: PlacedNode[] = [];
  const rowEnds = new Map<NodeKind, { x: number; y: number }>();
  const left = originX + frame.pad;
  const top = originY + frame.title + frame.pad;
  const onlyOrchestrators = nodes.length > 0 && nodes.every((n) => n.kind === 'orchestrator');
  let ringBox: RegionPlan['ring'] = null;
  let y = top;
  let width = 0;
  if (onlyOrchestrators) {
    const ringed = ring(nodes.length);
    nodes.forEach((n, i) => placed.push({ id: n.id, kind: n.kind, region, x: left + ringed[i]!.x, y: top + ringed[i]!.y }));
    ringBox = { right: Math.max(...placed.map((p) => p.x)) + NODE_WIDTH, top, bottom: Math.max(...placed.map((p) => p.y)) + NODE_HEIGHT };
    width = ringBox.right - left;
    y = ringBox.bottom + ROW_GAP;
  }
  const tiers = onlyOrchestrators ? [] : TIERS.map((kinds) => ({ kinds, row: nodes.filter((n) => kinds.includes(n.kind)) })).filter((t) => t.row.length > 0);
  const span = (columns: number) => columns * SLOT - COLUMN_GAP;
  const inner = Math.max(width, ...tiers.map((t) => span(tierShape(t.kinds, t.row.length, spareServers, serversPerRow).columns)));
  const servers = nodes.filter((n) => n.kind === 'server').length;
  for (const { kinds, row } of tiers) {
    const { columns, rows } = tierShape(kinds, row.length, spareServers, serversPerRow);
    let x0 = left + (inner - span(columns)) / 2;
    // A lone load balancer sits over the middle of the servers it feeds.
    if (kinds.includes('load-balancer') && row.length === 1 && servers > 0) {
      const serverShape = tierShape(['server'], servers, spareServers, serversPerRow);
      const firstRow = Math.min(servers, serversPerRow);
      x0 = left + (inner - span(serverShape.columns)) / 2 + (span(firstRow) - NODE_WIDTH) / 2;
    }
    const height = Math.max(...row.map((n) => nodeHeight(n.kind)));
    const perRow = rows === 1 ? row.length : columns;
    row.forEach((n, i) => placed.push({ id: n.id, kind: n.kind, region, x: x0 + (i % perRow) * SLOT, y: y + Math.floor(i / perRow) * (height + ROW_GAP) }));
    const last = row.length - 1;
    const end = { x: x0 + ((last % perRow) + 1) * SLOT, y: y + Math.floor(last / perRow) * (height + ROW_GAP) };
    for (const kind of kinds) rowEnds.set(kind, end);
    y += rows * (height + ROW_GAP);
  }
  const bottom = placed.length > 0 ? Math.max(...placed.map((p) => p.y + nodeHeight(p.kind))) : top;
  const height = bottom + frame.pad - originY;
  const boxWidth = frame === BARE ? inner : Math.max(inner + 2 * frame.pad, minWidth);
  return { placed, rowEnds, frame, ring: ringBox, bottom, box: { region, x: originX, y: originY, width: boxWidth, height } };
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
  const { pad, title } = plan.frame;
  const spare = { x: originX + pad, y: plan.bottom + ROW_GAP };
  const taken = (candidate: PlacedNode) => [...plan.placed, ...placed].some((p) => overlaps(p, candidate));
  const fits = (x: number) => x + NODE_WIDTH <= rightEdge;
  /** The next slot in the orchestrators' spare columns beside the ring: down a column as tall as the ring, then a new column. */
  let column = plan.ring ? { x: plan.ring.right + COLUMN_GAP * 2, y: plan.ring.top } : null;
  const onSpareLine = (n: LayoutInput): PlacedNode => {
    if (rightEdge === Infinity) {
      // Nothing lies to the right, but something may lie below (a DR box under this one): grow rightwards, at the top.
      const right = Math.max(...[...plan.placed, ...placed].map((q) => q.x + NODE_WIDTH), originX);
      return { id: n.id, kind: n.kind, region: plan.box.region, x: right + COLUMN_GAP, y: plan.box.y + title + pad };
    }
    if (!fits(spare.x) && spare.x > originX + pad) {
      spare.x = originX + pad;
      spare.y += DATABASE_HEIGHT + ROW_GAP;
    }
    const p = { id: n.id, kind: n.kind, region: plan.box.region, x: spare.x, y: spare.y };
    spare.x += SLOT;
    return p;
  };
  for (const n of replacements) {
    const base = { id: n.id, kind: n.kind, region: plan.box.region };
    let p: PlacedNode | null = null;
    if (n.kind === 'orchestrator' && column && plan.ring) {
      if (column.y + NODE_HEIGHT > plan.ring.bottom && column.y > plan.ring.top) column = { x: column.x + SLOT, y: plan.ring.top };
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
        rowEnds.set(n.kind, { x: end!.x + SLOT, y: end!.y });
      }
    }
    placed.push(p ?? onSpareLine(n));
  }
  return placed;
}

/** The box around the region's nodes: never smaller than the box its starting nodes gave it, so its corner never moves. */
function grownBox(box: RegionBox, nodes: readonly PlacedNode[], pad: number): RegionBox {
  const right = Math.max(box.x + box.width, ...nodes.map((n) => n.x + NODE_WIDTH + pad));
  const bottom = Math.max(box.y + box.height, ...nodes.map((n) => n.y + nodeHeight(n.kind) + pad));
  return { ...box, width: right - box.x, height: bottom - box.y };
}

/**
 * `stacked` puts the DR data centre under the primary one instead of beside it: on a narrow
 * screen two boxes side by side would shrink every node below legibility. `boxed` leaves room for
 * the data-centre boxes' headers; a scenario whose data centres do not matter is drawn without
 * boxes (and so without that room), unless it has a DR data centre, which always gets its box.
 */
export function layout(nodes: readonly LayoutInput[], stacked = false, boxed = true): Layout {
  const starting = nodes.filter((n) => !n.replaces);
  const replacements = nodes.filter((n) => n.replaces);
  const inRegion = (list: readonly LayoutInput[], region: 'primary' | 'dr') => list.filter((n) => n.region === region);
  const hasDr = starting.some((n) => n.region === 'dr');
  const frame = boxed || hasDr ? BOXED : BARE;
  const drBeside = hasDr && !stacked;
  const serversPerRow = stacked ? NARROW_SERVERS_PER_ROW : SERVERS_PER_ROW;
  const primary = planRegion(inRegion(starting, 'primary'), 0, 0, 'primary', drBeside ? SPARE_SERVER_SLOTS : 0, frame, MIN_REGION_WIDTH, serversPerRow);
  // A box may grow rightwards unless a DR box stands beside it, or the screen is narrow (and no DR box lies under it: then it may not grow down).
  const boundedRight = drBeside || (stacked && !hasDr);
  const primaryExtra = placeReplacements(primary, inRegion(replacements, 'primary'), boundedRight ? primary.box.x + primary.box.width - frame.pad : Infinity);
  const placed = [...primary.placed, ...primaryExtra];
  const regions = [grownBox(primary.box, primaryExtra, frame.pad)];
  if (hasDr) {
    // The DR box's corner depends only on the primary box of the starting nodes, which replacements never change.
    // Stacked, it is as wide as the primary box: a column of two equal boxes, with room for its header on one line.
    const dr = stacked
      ? planRegion(inRegion(starting, 'dr'), 0, primary.box.height + STACKED_GAP, 'dr', 0, frame, Math.max(MIN_REGION_WIDTH, primary.box.width), serversPerRow)
      : planRegion(inRegion(starting, 'dr'), primary.box.width + REGION_GAP, 0, 'dr', 0, frame);
    const drExtra = placeReplacements(dr, inRegion(replacements, 'dr'), Infinity);
    placed.push(...dr.placed, ...drExtra);
    regions.push(grownBox(dr.box, drExtra, frame.pad));
  }
  // The graph draws nodes in the order the simulation lists them (stable for links and focus order).
  const byId = new Map(placed.map((p) => [p.id, p]));
  return { nodes: nodes.map((n) => byId.get(n.id)).filter((p): p is PlacedNode => p !== undefined), regions };
}
