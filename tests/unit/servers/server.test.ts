// Proves the API server's rules on the machines alone: a read is answered after serviceMs on the connection it came in on, a write waits for the database's answer and passes it on, a health check is answered at once to whoever asks, and the server keeps nothing on disk.
import { describe, expect, it } from 'vitest';
import { serverProgram } from '../../../src/sim/machines/server/program';
import { LATENCY_MS, Tier } from './harness';

describe('reads', () => {
  it('a read is held for serviceMs, then answered ok on one connection', () => {
    const t = new Tier({ servers: 1 });
    const id = t.request();
    t.advance(LATENCY_MS);
    expect(t.server('api-1').held).toEqual([{ id, from: 'lb', write: false, stage: 'serving' }]);
    t.advance(t.settings.serviceMs - 1);
    expect(t.sentOfType('Response')).toEqual([]);
    t.advance(1);
    expect(t.sentOfType('Response')).toEqual([{ from: 'api-1', to: 'lb', msg: { type: 'Response', id, ok: true, reason: null }, ordered: true }]);
    expect(t.server('api-1').held).toEqual([]);
    expect(t.server('api-1').served).toBe(1);
    expect(t.dbWrites).toEqual([]);
  });

  it('answers each request to the node it came from, even with several held at once', () => {
    const t = new Tier({ servers: 1 });
    t.fromOutside('lb-b', 'api-1', { type: 'Request', id: 'r-x', write: false });
    const id = t.request();
    t.advance(LATENCY_MS);
    expect(t.server('api-1').held.map((h) => h.id)).toEqual(['r-x', id]);
    t.advance(t.settings.serviceMs + LATENCY_MS);
    expect(t.outside.filter((e) => e.msg.type === 'Response')).toEqual([
      { from: 'api-1', to: 'lb-b', msg: { type: 'Response', id: 'r-x', ok: true, reason: null }, ordered: true },
    ]);
    expect(t.replyTo(id)).toMatchObject({ ok: true, server: 'api-1' });
  });

  it('the same request again while it is held is not served twice', () => {
    const t = new Tier({ servers: 1 });
    t.fromOutside('lb', 'api-1', { type: 'Request', id: 'w-9', write: true });
    t.advance(10);
    t.fromOutside('lb', 'api-1', { type: 'Request', id: 'w-9', write: true });
    t.advance(t.settings.serviceMs + 10);
    expect(t.dbWrites).toEqual([{ server: 'api-1', id: 'w-9' }]);
  });
});

describe('writes', () => {
  it('a write goes to the database after serviceMs and is answered only once the database has', () => {
    const t = new Tier({ servers: 1 });
    const id = t.request(true);
    t.advance(LATENCY_MS + t.settings.serviceMs - 1);
    expect(t.dbWrites).toEqual([]);
    t.advance(1);
    expect(t.dbWrites).toEqual([{ server: 'api-1', id }]);
    expect(t.server('api-1').held).toEqual([{ id, from: 'lb', write: true, stage: 'writing' }]);
    t.advance(500);
    expect(t.sentOfType('Response')).toEqual([]);
    expect(t.replies).toEqual([]);
    t.dbReply(id, true);
    t.advance(LATENCY_MS);
    expect(t.sentOfType('Response')).toEqual([{ from: 'api-1', to: 'lb', msg: { type: 'Response', id, ok: true, reason: null }, ordered: true }]);
    expect(t.replies).toEqual([{ atMs: t.now, id, ok: true, server: 'api-1', reason: null }]);
  });

  it("a write the database refuses fails with the database's reason", () => {
    const t = new Tier({ servers: 1 });
    const id = t.request(true);
    t.advance(100);
    t.dbReply(id, false, 'read-only standby');
    t.advance(LATENCY_MS);
    expect(t.sentOfType('Response').map((e) => e.msg)).toEqual([{ type: 'Response', id, ok: false, reason: 'read-only standby' }]);
    expect(t.replyTo(id)).toMatchObject({ ok: false, server: 'api-1' });
    expect(t.replyTo(id)!.reason).toMatch(/read-only standby/);
    expect(t.server('api-1').failed).toBe(1);
  });

  it('a database answer for a request it does not hold (from before a restart) is ignored', () => {
    const t = new Tier({ servers: 1 });
    const id = t.request(true);
    t.advance(100);
    t.crash('api-1');
    t.restart('api-1');
    t.dbReply(id, true);
    t.advance(10);
    expect(t.sentOfType('Response')).toEqual([]);
    expect(t.server('api-1').held).toEqual([]);
  });
});

describe('health checks and what it keeps', () => {
  it('answers a ServerCheck at once, as a datagram, to whoever asks', () => {
    const t = new Tier({ servers: 1 });
    t.fromOutside('orch-2', 'api-1', { type: 'ServerCheck', seq: 41 });
    expect(t.outside).toEqual([{ from: 'api-1', to: 'orch-2', msg: { type: 'ServerOk', seq: 41 }, ordered: false }]);
  });

  it('keeps nothing on disk, and a restart forgets what it held', () => {
    const t = new Tier({ servers: 1 });
    t.request(true);
    t.advance(10);
    expect(t.server('api-1').held).toHaveLength(1);
    t.crash('api-1');
    t.restart('api-1');
    expect(t.server('api-1').held).toEqual([]);
    t.advance(1000);
    expect(t.dbWrites).toEqual([]);
  });

  it('its view says serving and counts what is in flight; its messages look like responses and health replies', () => {
    const t = new Tier({ servers: 1 });
    t.request();
    t.request(true);
    t.advance(LATENCY_MS);
    expect(t.view('api-1')).toMatchObject({ role: 'serving', term: null, detail: { inFlight: 2, served: 0 } });
    t.advance(t.settings.serviceMs);
    expect(t.view('api-1').detail).toMatchObject({ inFlight: 1, waitingForDatabase: 1, served: 1 });
    expect(t.view('api-1').detail.status).toMatch(/1 request in flight, 1 waiting for the database/);
    expect(serverProgram.look({ type: 'Response', id: 'r-4', ok: true, reason: null } as never)).toEqual({ family: 'response', label: 'r-4 ok' });
    expect(serverProgram.look({ type: 'ServerOk', seq: 3 } as never).family).toBe('health-reply');
  });
});
