// Proves the load balancer's rules with real API servers behind it: round robin over the servers in rotation only, a request on a server that crashes fails by timeout while the others succeed, failureThreshold missed checks take a server out and one passing check brings it back, LbAdd/LbRemove change the list idempotently, a restarted load balancer keeps its list, and with nobody in rotation a request fails at once.
import { describe, expect, it } from 'vitest';
import { NO_SERVER_IN_ROTATION } from '../../../src/sim/machines/load-balancer/logic';
import { loadBalancerProgram } from '../../../src/sim/machines/load-balancer/program';
import { LATENCY_MS, Tier } from './harness';

/** Sends `count` reads, `gapMs` apart, and lets them all be answered; returns their ids. */
function readsSettled(t: Tier, count: number, gapMs = 100): string[] {
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    ids.push(t.request());
    t.advance(gapMs);
  }
  t.advance(t.settings.requestTimeoutMs);
  return ids;
}

function serversOf(t: Tier, ids: readonly string[]): (string | null | undefined)[] {
  return ids.map((id) => t.replyTo(id)?.server);
}

/** Crashes `server` and lets the load balancer's checks take it out of rotation. */
function crashUntilOut(t: Tier, server: string): void {
  t.crash(server);
  const { intervalMs, timeoutMs, failureThreshold } = t.settings.healthCheck;
  t.advance(intervalMs * failureThreshold + timeoutMs);
  expect(t.inRotation()).not.toContain(server);
}

describe('round robin', () => {
  it('hands requests to the servers in turn', () => {
    const t = new Tier({ servers: 3 });
    const ids = readsSettled(t, 7);
    expect(serversOf(t, ids)).toEqual(['api-1', 'api-2', 'api-3', 'api-1', 'api-2', 'api-3', 'api-1']);
    expect(ids.every((id) => t.replyTo(id)!.ok)).toBe(true);
    expect(t.sentOfType('Request').every((e) => e.ordered)).toBe(true);
  });

  it('requests that arrive together are spread the same way', () => {
    const t = new Tier({ servers: 2 });
    const ids = [t.request(), t.request(), t.request(), t.request()];
    t.advance(100);
    expect(serversOf(t, ids)).toEqual(['api-1', 'api-2', 'api-1', 'api-2']);
  });

  it('sends a retry elsewhere than the server that failed it, unless no other is in rotation', () => {
    const t = new Tier({ servers: 3 });
    // The cursor points at api-1: a retry that failed on api-1 goes to api-2, and the turn goes on from there.
    const retried = t.request(false, 'api-1');
    const next = t.request();
    t.advance(100);
    expect(serversOf(t, [retried, next])).toEqual(['api-2', 'api-3']);
    const alone = new Tier({ servers: 1 });
    const only = alone.request(false, 'api-1');
    alone.advance(100);
    expect(serversOf(alone, [only])).toEqual(['api-1']);
    expect(alone.replyTo(only)!.ok).toBe(true);
  });

  it('skips a server out of rotation, and takes it again once it is back', () => {
    const t = new Tier({ servers: 3 });
    crashUntilOut(t, 'api-2');
    const during = readsSettled(t, 4);
    expect(serversOf(t, during)).not.toContain('api-2');
    expect(during.every((id) => t.replyTo(id)!.ok)).toBe(true);
    t.restart('api-2');
    t.advance(t.settings.healthCheck.intervalMs);
    expect(t.inRotation()).toEqual(['api-1', 'api-2', 'api-3']);
    const after = readsSettled(t, 3);
    expect(new Set(serversOf(t, after))).toEqual(new Set(['api-1', 'api-2', 'api-3']));
  });
});

describe('a server that crashes with requests in flight', () => {
  it("fails the crashed server's request by timeout, with the reason, while the others are served", () => {
    const t = new Tier({ servers: 3 });
    const [a, b, c] = [t.request(), t.request(), t.request()];
    t.advance(10);
    t.crash('api-2');
    t.advance(t.settings.requestTimeoutMs - 11);
    expect(t.replyTo(a!)).toMatchObject({ ok: true, server: 'api-1' });
    expect(t.replyTo(c!)).toMatchObject({ ok: true, server: 'api-3' });
    expect(t.replyTo(b!)).toBeUndefined();
    t.advance(1);
    const reason = 'api-2 did not answer within 1000 ms (it may have crashed with the request in flight)';
    expect(t.replyTo(b!)).toEqual({ atMs: t.settings.requestTimeoutMs, id: b, ok: false, server: 'api-2', reason });
    expect(t.tracesOfType('lb', 'request-failed')).toEqual([{ type: 'request-failed', id: b, server: 'api-2', reason }]);
    expect(t.view('lb').detail).toMatchObject({ served: 2, failed: 1, inFlight: 0 });
  });

  it('an answer already on its way dies with the server', () => {
    const t = new Tier({ servers: 1 });
    const id = t.request();
    t.advance(LATENCY_MS + t.settings.serviceMs);
    expect(t.sentOfType('Response')).toHaveLength(1);
    t.crash('api-1');
    t.advance(t.settings.requestTimeoutMs);
    expect(t.replyTo(id)).toMatchObject({ ok: false, server: 'api-1' });
  });

  it('an answer that comes after the timeout is not passed on a second time', () => {
    const t = new Tier({ servers: 1 });
    const id = t.request(true);
    t.advance(t.settings.requestTimeoutMs);
    expect(t.replies).toEqual([expect.objectContaining({ id, ok: false })]);
    t.dbReply(id, true);
    t.advance(10);
    expect(t.sentOfType('Response')).toHaveLength(1);
    expect(t.replies).toHaveLength(1);
  });
});

describe('health checks', () => {
  it('checks every listed server every interval', () => {
    const t = new Tier({ servers: 2 });
    t.advance(t.settings.healthCheck.intervalMs - 1);
    expect(t.sentOfType('ServerCheck')).toEqual([]);
    t.advance(1);
    expect(t.sentOfType('ServerCheck').map((e) => [e.to, e.msg])).toEqual([
      ['api-1', { type: 'ServerCheck', seq: 1 }],
      ['api-2', { type: 'ServerCheck', seq: 2 }],
    ]);
    t.advance(t.settings.healthCheck.intervalMs);
    expect(t.sentOfType('ServerCheck')).toHaveLength(4);
  });

  it('takes a server out after failureThreshold missed checks in a row, not before', () => {
    const t = new Tier({ servers: 3 });
    t.crash('api-2');
    // Checks leave at 1000, 2000 and 3000; each times out 500 ms later.
    t.advance(3499);
    expect(t.inRotation()).toEqual(['api-1', 'api-2', 'api-3']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([]);
    t.advance(1);
    expect(t.inRotation()).toEqual(['api-1', 'api-3']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([
      { type: 'backend', server: 'api-2', in: false, reason: expect.stringMatching(/^api-2 failed 3 health checks in a row/) },
    ]);
    expect(t.view('lb').detail).toMatchObject({ status: 'in: api-1, api-3; out: api-2', inCount: 2, outCount: 1 });
    expect(t.factsOf('lb').backends).toEqual([
      { id: 'api-1', inRotation: true },
      { id: 'api-2', inRotation: false },
      { id: 'api-3', inRotation: true },
    ]);
  });

  it('one passing check brings a server back into rotation', () => {
    const t = new Tier({ servers: 3 });
    crashUntilOut(t, 'api-2');
    t.restart('api-2');
    t.advance(t.settings.healthCheck.intervalMs);
    expect(t.inRotation()).toEqual(['api-1', 'api-2', 'api-3']);
    const back = t.tracesOfType('lb', 'backend').at(-1);
    expect(back).toEqual({ type: 'backend', server: 'api-2', in: true, reason: expect.stringMatching(/^api-2 answered a health check/) });
    expect(t.lb().backends.find((b) => b.server === 'api-2')).toMatchObject({ failures: 0, awaiting: null });
  });

  it('an answered check in between starts the count again', () => {
    const t = new Tier({ servers: 2 });
    const { intervalMs } = t.settings.healthCheck;
    t.crash('api-2');
    t.advance(2 * intervalMs + 600); // two checks missed
    t.restart('api-2');
    t.advance(intervalMs); // one answered
    t.crash('api-2');
    t.advance(2 * intervalMs); // two missed again
    expect(t.inRotation()).toEqual(['api-1', 'api-2']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([]);
  });

  it('a late answer, after its check timed out, counts for nothing', () => {
    const t = new Tier({ servers: 1, settings: { healthCheck: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 1 } } });
    t.crash('api-1');
    t.advance(1500);
    expect(t.inRotation()).toEqual([]);
    t.restart('api-1');
    t.fromOutside('api-1', 'lb', { type: 'ServerOk', seq: 1 });
    expect(t.inRotation()).toEqual([]);
  });

  it('with a timeout longer than the interval, an unanswered check counts when the next one leaves', () => {
    const t = new Tier({ servers: 2, settings: { healthCheck: { intervalMs: 1000, timeoutMs: 1500, failureThreshold: 3 } } });
    t.crash('api-1');
    t.advance(3999);
    expect(t.inRotation()).toEqual(['api-1', 'api-2']);
    t.advance(1);
    expect(t.inRotation()).toEqual(['api-2']);
  });
});

describe('LbAdd and LbRemove', () => {
  it('an added server starts out of rotation and enters on its first passing check, once however often it is added', () => {
    const t = new Tier({ servers: 2 });
    t.startServer('api-3');
    t.fromOutside('orch-2', 'lb', { type: 'LbAdd', server: 'api-3' });
    t.fromOutside('orch-2', 'lb', { type: 'LbAdd', server: 'api-3' });
    expect(t.lb().backends.map((b) => [b.server, b.inRotation])).toEqual([
      ['api-1', true],
      ['api-2', true],
      ['api-3', false],
    ]);
    expect(t.sentOfType('ServerCheck', 'api-3')).toHaveLength(1);
    expect(t.factsOf('lb').backends?.map((b) => b.id)).toEqual(['api-1', 'api-2', 'api-3']);
    t.advance(2 * LATENCY_MS);
    expect(t.inRotation()).toEqual(['api-1', 'api-2', 'api-3']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([{ type: 'backend', server: 'api-3', in: true, reason: expect.stringMatching(/api-3, added by orch-2,/) }]);
    t.fromOutside('orch-3', 'lb', { type: 'LbAdd', server: 'api-3' });
    t.advance(10);
    expect(t.lb().backends).toHaveLength(3);
    expect(t.tracesOfType('lb', 'backend')).toHaveLength(1);
    // Every LbAdd is acknowledged to whoever sent it, so a worker whose request was lost asks again.
    expect(t.outside.map((e) => [e.to, e.msg])).toEqual([
      ['orch-2', { type: 'LbAck', server: 'api-3', listed: true }],
      ['orch-2', { type: 'LbAck', server: 'api-3', listed: true }],
      ['orch-3', { type: 'LbAck', server: 'api-3', listed: true }],
    ]);
  });

  it('an added server that does not answer never gets a request', () => {
    const t = new Tier({ servers: 1 });
    t.fromOutside('orch-2', 'lb', { type: 'LbAdd', server: 'api-7' });
    const ids = readsSettled(t, 4, 1000);
    expect(serversOf(t, ids)).toEqual(['api-1', 'api-1', 'api-1', 'api-1']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([]);
  });

  it('a removed server leaves the list for good: no checks, no requests, removing it again does nothing', () => {
    const t = new Tier({ servers: 3 });
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-1' });
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-1' });
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-9' });
    expect(t.lb().backends.map((b) => b.server)).toEqual(['api-2', 'api-3']);
    expect(t.tracesOfType('lb', 'backend')).toEqual([{ type: 'backend', server: 'api-1', in: false, reason: expect.stringMatching(/api-1 removed by orch-2/) }]);
    const ids = readsSettled(t, 4, 1000);
    expect(serversOf(t, ids)).toEqual(['api-2', 'api-3', 'api-2', 'api-3']);
    expect(t.sentOfType('ServerCheck', 'api-1')).toEqual([]);
  });

  it('removing a server out of rotation says nothing more, and the round robin keeps its place', () => {
    const t = new Tier({ servers: 3 });
    crashUntilOut(t, 'api-1');
    const traced = t.tracesOfType('lb', 'backend').length;
    const first = t.request();
    t.advance(100);
    expect(t.replyTo(first)!.server).toBe('api-2');
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-1' });
    expect(t.tracesOfType('lb', 'backend')).toHaveLength(traced);
    const ids = readsSettled(t, 3);
    expect(serversOf(t, ids)).toEqual(['api-3', 'api-2', 'api-3']);
  });
});

describe('what the load balancer keeps on disk', () => {
  it('a restarted load balancer keeps its list, changes included, with every server in rotation', () => {
    const t = new Tier({ servers: 3 });
    t.startServer('api-4');
    t.fromOutside('orch-2', 'lb', { type: 'LbAdd', server: 'api-4' });
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-1' });
    expect(t.lbDisk()).toEqual({ servers: ['api-2', 'api-3', 'api-4'] });
    t.crash('lb');
    t.restart('lb');
    expect(t.lbDisk()).toEqual({ servers: ['api-2', 'api-3', 'api-4'] });
    expect(t.inRotation()).toEqual(['api-2', 'api-3', 'api-4']);
    const ids = readsSettled(t, 3);
    expect(serversOf(t, ids)).toEqual(['api-2', 'api-3', 'api-4']);
  });

  it('a restarted load balancer finds a dead server in its list by checking it', () => {
    const t = new Tier({ servers: 2 });
    t.crash('lb');
    t.crash('api-2');
    t.restart('lb');
    expect(t.inRotation()).toEqual(['api-1', 'api-2']);
    const { intervalMs, timeoutMs, failureThreshold } = t.settings.healthCheck;
    t.advance(intervalMs * failureThreshold + timeoutMs);
    expect(t.inRotation()).toEqual(['api-1']);
  });

  it('a wiped load balancer starts again from the topology: api-1 … api-N', () => {
    const t = new Tier({ servers: 3 });
    t.fromOutside('orch-2', 'lb', { type: 'LbRemove', server: 'api-1' });
    t.wipe('lb');
    t.restart('lb');
    expect(t.lbDisk()).toEqual({ servers: ['api-1', 'api-2', 'api-3'] });
  });
});

describe('no server in rotation', () => {
  it('without servers a request fails at once, with the reason', () => {
    const t = new Tier({ servers: 0 });
    const id = t.request();
    expect(t.replies).toEqual([{ atMs: 0, id, ok: false, server: null, reason: NO_SERVER_IN_ROTATION }]);
    expect(t.tracesOfType('lb', 'request-failed')).toEqual([{ type: 'request-failed', id, server: null, reason: NO_SERVER_IN_ROTATION }]);
    expect(t.view('lb').detail).toMatchObject({ status: 'in: none; out: none' });
    expect(t.factsOf('lb')).toMatchObject({ backends: [], watches: [] });
  });

  it('once every server is out, requests fail at once, and none is sent', () => {
    const t = new Tier({ servers: 2 });
    t.crash('api-2');
    crashUntilOut(t, 'api-1');
    expect(t.inRotation()).toEqual([]);
    const before = t.sentOfType('Request').length;
    const id = t.request(true);
    expect(t.replyTo(id)).toEqual({ atMs: t.now, id, ok: false, server: null, reason: NO_SERVER_IN_ROTATION });
    expect(t.sentOfType('Request')).toHaveLength(before);
  });
});

describe('view and look', () => {
  it("the view's role is balancing; requests and checks look like requests and health checks", () => {
    const t = new Tier({ servers: 3 });
    expect(t.view('lb')).toMatchObject({ role: 'balancing', term: null, detail: { status: 'in: api-1, api-2, api-3; out: none', inCount: 3, outCount: 0 } });
    expect(loadBalancerProgram.look({ type: 'Request', id: 'w-17', write: true } as never)).toEqual({ family: 'request', label: 'w-17' });
    expect(loadBalancerProgram.look({ type: 'ServerCheck', seq: 5 } as never)).toEqual({ family: 'health-check', label: 'check #5' });
  });
});
