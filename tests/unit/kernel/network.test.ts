// Proves the network module's faults: partitions with "*", cut and slow links, dark regions, loss, and latency by region.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sim/random/prng';
import { Network } from '../../../src/sim/network/network';
import type { RegionRole } from '../../../src/sim/scenario/types';

const regions: Record<string, RegionRole> = { a: 'primary', b: 'primary', c: 'primary', d: 'dr' };
const settings = { latencyMs: { local: [1, 5] as const, crossRegion: [60, 90] as const }, lossRate: 0 };
const make = (lossRate = 0) => new Network((id) => regions[id], { ...settings, lossRate }, new Prng(3));

describe('Network', () => {
  it('delivers within the local range inside a region and the cross-region range across', () => {
    const net = make();
    for (let i = 0; i < 200; i++) {
      const local = net.route('a', 'b', 100);
      const far = net.route('a', 'd', 100);
      expect(local.ok && local.deliverAtMs >= 101 && local.deliverAtMs <= 105).toBe(true);
      expect(far.ok && far.deliverAtMs >= 160 && far.deliverAtMs <= 190).toBe(true);
    }
  });

  it('partitions into groups, with "*" standing for everyone not named, until healed', () => {
    const net = make();
    net.partition([['a'], []], 1);
    expect(net.blockedReason('a', 'b')).toBe('partition');
    expect(net.blockedReason('b', 'c')).toBeNull();
    expect(net.route('b', 'a', 0)).toMatchObject({ ok: false, reason: 'partition' });
    net.heal();
    expect(net.blockedReason('a', 'b')).toBeNull();
  });

  it('puts unnamed nodes in a group of their own when there is no "*"', () => {
    const net = make();
    net.partition([['a'], ['b']], -1);
    expect(net.blockedReason('c', 'd')).toBeNull();
    expect(net.blockedReason('c', 'a')).toBe('partition');
    expect(net.blockedReason('c', 'b')).toBe('partition');
  });

  it('cuts one link in both directions and heals it alone', () => {
    const net = make();
    net.cut('a', 'b');
    expect(net.blockedReason('b', 'a')).toBe('cut');
    expect(net.blockedReason('a', 'c')).toBeNull();
    net.healLink('b', 'a');
    expect(net.blockedReason('a', 'b')).toBeNull();
  });

  it('slows a link to its own latency and drops per its loss rate', () => {
    const net = make();
    net.slowLink('a', 'b', [500, 500], 0);
    expect(net.route('a', 'b', 0)).toEqual({ ok: true, deliverAtMs: 500 });
    net.slowLink('a', 'b', [500, 500], 1);
    expect(net.route('b', 'a', 0)).toMatchObject({ ok: false, reason: 'loss', dieAtMs: 250 });
  });

  it('blocks everything to and from a dark region', () => {
    const net = make();
    net.setRegionDark('dr', true);
    expect(net.blockedReason('a', 'd')).toBe('region-down');
    expect(net.blockedReason('a', 'b')).toBeNull();
  });

  it('loses about the configured share of messages', () => {
    const net = make(0.3);
    let lost = 0;
    for (let i = 0; i < 5000; i++) if (!net.route('a', 'b', 0).ok) lost++;
    expect(lost / 5000).toBeGreaterThan(0.25);
    expect(lost / 5000).toBeLessThan(0.35);
  });
});
