// Proves that the page's failover views come from the run itself: the step indicator and the chart follow a seek exactly, and the leader's agent shows failed checks of a crashed primary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import { Session } from '../../../src/worker/session';
import type { ChartSample, Frame } from '../../../src/worker/protocol';
import { chartSummary, buckets, latestOutage } from '../../../src/app/chart/series';

function preset(id: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(`public/scenarios/${id}.json`, 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** All chart samples a page would hold after taking every frame. */
function chartAfter(frames: Frame[]): ChartSample[] {
  let chart: ChartSample[] = [];
  for (const f of frames) chart = f.chartReset ? [...f.chart] : [...chart, ...f.chart];
  return chart;
}

describe('failover views of the primary-crash lesson', () => {
  it('folds the failover steps into one completed failover of db-1 to db-2', () => {
    const session = new Session(preset('failover-primary-crash'), 1);
    session.seek(14_000);
    const failover = session.frame().failover;
    expect(failover).not.toBeNull();
    expect(failover!.from).toBe('db-1');
    expect(failover!.to).toBe('db-2');
    expect(failover!.done).toBe(true);
    expect(failover!.steps.map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(failover!.steps.every((s) => s.ok)).toBe(true);
  });

  it('shows failed checks of the crashed primary in the leader agent’s watch, with reply times and a lease', () => {
    const session = new Session(preset('failover-primary-crash'), 1);
    session.seek(12_000);
    const watchers = session.frame().nodes.filter((n) => n.watch?.watching);
    expect(watchers).toHaveLength(1);
    const watch = watchers[0]!.watch!;
    const db1 = watch.nodes.find((n) => n.node === 'db-1')!;
    expect(db1.failures).toBeGreaterThan(0);
    expect(db1.failures).toBeLessThan(watch.threshold);
    expect(db1.lastReply?.role).toBe('primary');
    expect(db1.lastReply?.atMs).toBeLessThanOrEqual(10_000);
    expect(watch.nodes.find((n) => n.node === 'db-2')!.lastReply?.atMs).toBeGreaterThan(10_000);
    // The lease entry is still committed each second, but the crashed primary answers no renewal.
    expect(watch.lease?.node).toBe('db-1');
    expect(watch.lease!.sentAtMs).toBeGreaterThan(10_000);
    expect(watch.lease!.answeredAtMs).toBeNull();
    expect(watch.leaseAnswered!.node).toBe('db-1');
    expect(watch.leaseAnswered!.answeredAtMs).toBeLessThanOrEqual(10_000);
  });

  it('takes one chart sample per second, and a seek back rebuilds the same samples', () => {
    const session = new Session(preset('failover-primary-crash'), 1);
    const frames: Frame[] = [];
    session.seek(16_000);
    frames.push(session.frame());
    const forward = chartAfter(frames);
    expect(forward.map((s) => s.atMs)).toEqual(Array.from({ length: 16 }, (_, i) => (i + 1) * 1000));
    expect(forward[5]!.acknowledged).toBeGreaterThan(0);
    expect(Object.keys(forward[5]!.lagBytes).sort()).toEqual(['db-2', 'db-3']);
    // The crash leaves no write acknowledged until db-2 has taken over and named a synchronous standby.
    expect(latestOutage(forward)).not.toBeNull();
    session.seek(8_000);
    frames.push(session.frame());
    expect(chartAfter(frames)).toEqual(forward.slice(0, 8));
  });
});

describe('chart series', () => {
  const sample = (atMs: number, acknowledged: number, lag: Record<string, number> = {}): ChartSample => ({ atMs, acknowledged, rejected: 20 - acknowledged, lagBytes: lag });

  it('groups a long run into at most the given number of buckets, averaging rates and keeping the worst lag', () => {
    const samples = Array.from({ length: 10 }, (_, i) => sample((i + 1) * 1000, i % 2 === 0 ? 20 : 0, { 'db-2': i * 100 }));
    const grouped = buckets(samples, 5);
    expect(grouped).toHaveLength(5);
    expect(grouped[0]).toMatchObject({ fromMs: 0, toMs: 2000, acknowledged: 10, rejected: 10, lagBytes: { 'db-2': 100 } });
  });

  it('tells the totals, the latest outage and the lag in words', () => {
    const text = chartSummary([sample(1000, 20, { 'db-2': 0 }), sample(2000, 0), sample(3000, 0), sample(4000, 20, { 'db-2': 300 })]);
    expect(text).toContain('40 writes acknowledged, 40 rejected');
    expect(text).toContain('No write was acknowledged from 1.0 s to 3.0 s');
    expect(text).toContain('Replication lag now: db-2 300 B');
  });
});
