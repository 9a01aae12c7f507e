/**
 * The network: which messages get through, and when. It knows node ids and their regions, and
 * nothing of what the nodes say. Faults live here: partitions into groups, single cut links,
 * slow or lossy links, dark regions, and a base loss rate. The kernel asks it once when a
 * message is sent (`route`) and once more when it would arrive (`blockedReason`), so a
 * partition that starts while a message is on the wire kills that message too.
 */
import type { Prng } from '../random/prng';
import type { NodeId } from '../machines/protocol';
import type { MsRange, RegionRole } from '../scenario/types';

export type DropReason = 'partition' | 'cut' | 'region-down' | 'loss' | 'down';

export interface NetworkSettings {
  readonly latencyMs: { readonly local: MsRange; readonly crossRegion: MsRange };
  readonly lossRate: number;
}

export type Route =
  | { readonly ok: true; readonly deliverAtMs: number }
  /** Lost: `dieAtMs` is where along the link the page shows it dying (halfway). */
  | { readonly ok: false; readonly reason: DropReason; readonly dieAtMs: number };

interface SlowLink {
  readonly latencyMs: MsRange;
  readonly lossRate: number;
}

/** The key of an undirected link; both directions share one fault. */
export function linkKey(a: NodeId, b: NodeId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export class Network {
  private settings: NetworkSettings;
  /** Node → partition group; absent when no partition is in force. */
  private groupOf: Map<NodeId, number> | null = null;
  private readonly cutLinks = new Set<string>();
  private readonly slowLinks = new Map<string, SlowLink>();
  private readonly darkRegions = new Set<RegionRole>();
  /** Per directed link, when the latest ordered message arrives. */
  private readonly orderedUntil = new Map<string, number>();

  constructor(
    private readonly regionOf: (node: NodeId) => RegionRole | undefined,
    settings: NetworkSettings,
    private readonly rng: Prng,
  ) {
    this.settings = settings;
  }

  setSettings(settings: NetworkSettings): void {
    this.settings = settings;
  }

  /**
   * Splits the network: nodes in different groups cannot talk. `groups` holds concrete ids;
   * `restGroup` is the index of the group that stands for everyone not named (`"*"`), or -1, in
   * which case the unnamed nodes form one group of their own. Replaces any earlier partition.
   */
  partition(groups: readonly (readonly NodeId[])[], restGroup: number): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((members, index) => {
      for (const id of members) groupOf.set(id, index);
    });
    this.groupOf = groupOf;
    this.restGroup = restGroup >= 0 ? restGroup : groups.length;
  }
  private restGroup = 0;

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(linkKey(a, b));
  }

  healLink(a: NodeId, b: NodeId): void {
    const key = linkKey(a, b);
    this.cutLinks.delete(key);
    this.slowLinks.delete(key);
  }

  slowLink(a: NodeId, b: NodeId, latencyMs: MsRange, lossRate: number): void {
    this.slowLinks.set(linkKey(a, b), { latencyMs, lossRate });
  }

  /** Every partition, cut link and slow link is gone (dark regions stay dark). */
  heal(): void {
    this.groupOf = null;
    this.cutLinks.clear();
    this.slowLinks.clear();
  }

  setRegionDark(region: RegionRole, dark: boolean): void {
    if (dark) this.darkRegions.add(region);
    else this.darkRegions.delete(region);
  }

  isRegionDark(region: RegionRole): boolean {
    return this.darkRegions.has(region);
  }

  isCut(a: NodeId, b: NodeId): boolean {
    return this.cutLinks.has(linkKey(a, b));
  }

  /** What the page draws: current faults, as plain data. */
  faults(): { partition: NodeId[][] | null; cut: [NodeId, NodeId][]; slow: [NodeId, NodeId][]; darkRegions: RegionRole[] } {
    let partition: NodeId[][] | null = null;
    if (this.groupOf) {
      partition = [];
      for (const [id, g] of this.groupOf) (partition[g] ??= []).push(id);
      partition = partition.filter((members) => members !== undefined);
    }
    const pairs = (keys: Iterable<string>) => [...keys].map((k) => k.split('|') as [NodeId, NodeId]);
    return { partition, cut: pairs(this.cutLinks), slow: pairs(this.slowLinks.keys()), darkRegions: [...this.darkRegions] };
  }

  private group(id: NodeId): number {
    return this.groupOf?.get(id) ?? this.restGroup;
  }

  /** Why a message from `from` to `to` cannot pass right now, or null if it can. */
  blockedReason(from: NodeId, to: NodeId): DropReason | null {
    const rf = this.regionOf(from);
    const rt = this.regionOf(to);
    if ((rf && this.darkRegions.has(rf)) || (rt && this.darkRegions.has(rt))) return 'region-down';
    if (this.groupOf && this.group(from) !== this.group(to)) return 'partition';
    if (this.cutLinks.size > 0 && this.cutLinks.has(linkKey(from, to))) return 'cut';
    return null;
  }

  /**
   * Decides a message's fate at the moment it is sent. Draws from the network's PRNG. An `ordered`
   * message (one on a connection) arrives no earlier than the previous ordered one on its directed link.
   */
  route(from: NodeId, to: NodeId, nowMs: number, ordered = false): Route {
    const slow = this.slowLinks.size > 0 ? this.slowLinks.get(linkKey(from, to)) : undefined;
    const range = slow?.latencyMs ?? (this.regionOf(from) === this.regionOf(to) ? this.settings.latencyMs.local : this.settings.latencyMs.crossRegion);
    const latencyMs = Math.max(1, this.rng.int(range[0], range[1]));
    const blocked = this.blockedReason(from, to);
    const lossRate = Math.max(this.settings.lossRate, slow?.lossRate ?? 0);
    const reason: DropReason | null = blocked ?? (this.rng.chance(lossRate) ? 'loss' : null);
    if (reason) return { ok: false, reason, dieAtMs: nowMs + Math.max(1, Math.floor(latencyMs / 2)) };
    if (!ordered) return { ok: true, deliverAtMs: nowMs + latencyMs };
    const key = `${from}>${to}`;
    const deliverAtMs = Math.max(nowMs + latencyMs, this.orderedUntil.get(key) ?? 0);
    this.orderedUntil.set(key, deliverAtMs);
    return { ok: true, deliverAtMs };
  }
}
