/**
 * The kernel alone (kernel/kernel.ts), with no world around it: hosts a toy machine (toy.ts) given
 * to it directly, and shows what a world module can register and when each registration is called:
 * an effect handler, a kind of queue item, trace observers and annotations, and the taps on
 * messages sent and delivered and on nodes going up and down. A change to the kernel can be
 * checked here without the scenario's topology, the registry or any protocol.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Kernel, Lane, type KernelOptions } from '../../../src/sim/kernel/kernel';
import { SimulationError } from '../../../src/sim/kernel/node-host';
import type { NodeId } from '../../../src/sim/machines/protocol';
import { DEFAULT_SETTINGS } from '../../../src/sim/scenario/defaults';
import type { Topology } from '../../../src/sim/scenario/types';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { resetBehaviour, say, toy, toyProgram, type ToyContext } from './toy';

// The kernel hands the topology to machines and never reads it; the toy does not either.
const TOPOLOGY = {} as Topology;

/** A kernel hosting toys `ids` (each the others' peer), not yet booted. */
function kernelOf(ids: readonly NodeId[], options: Partial<KernelOptions> = {}): Kernel {
  const kernel = new Kernel({ seed: 5, settings: DEFAULT_SETTINGS, topology: TOPOLOGY, ...options });
  for (const id of ids) kernel.addHost(id, 'orchestrator', 'primary', toyProgram, ids.filter((p) => p !== id), null);
  return kernel;
}

function bootAll(kernel: Kernel): void {
  for (const host of [...kernel.hosts()]) kernel.bringUp(host, 'booted');
}

/** Each trace event as `atMs type node detail`. */
function lines(trace: readonly TraceEvent[]): string[] {
  return trace.map((e) => `${e.atMs} ${e.type}${'node' in e ? ` ${e.node}` : ''}${e.type === 'role' ? ` ${e.reason}` : ''}`);
}

beforeEach(resetBehaviour);

describe('the kernel alone', () => {
  it('hosts the nodes it is given, boots them, and stamps their trace with the time and the node', () => {
    toy.behaviour.start = (ctx) => [say(`peers ${ctx.peers.join(',')}`), { type: 'set-timer', name: 'tick', afterMs: 40 }];
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(event.name)] : []);
    const kernel = kernelOf(['a', 'b']);
    bootAll(kernel);
    kernel.runUntil(100);
    expect(lines(kernel.trace)).toEqual(['0 up a', '0 role a peers b', '0 up b', '0 role b peers a', '40 role a tick', '40 role b tick']);
    expect(kernel.nowMs).toBe(100);
    expect(kernel.stats.events).toBe(2);
  });

  it('refuses an effect no part of the world performs, naming the node and the effect', () => {
    toy.behaviour.start = () => [{ type: 'write-reply', id: 'w1', ok: true, lsn: 1, reason: null }];
    const kernel = kernelOf(['a']);
    expect(() => bootAll(kernel)).toThrow(SimulationError);
    expect(() => bootAll(kernelOf(['a']))).toThrow(/a emitted write-reply, which no part of the world performs/);
  });
});

describe('what a world module registers', () => {
  it('an effect handler gets each effect of its type, with the node that emitted it, in the order emitted', () => {
    toy.behaviour.start = (ctx) => [say('before'), { type: 'fence', node: `${ctx.id}!` }, say('after')];
    const kernel = kernelOf(['a']);
    kernel.handle('fence', (host, effect) => kernel.record({ atMs: kernel.nowMs, type: 'unwatched', node: host.id, text: `fence ${effect.node}` }));
    bootAll(kernel);
    expect(kernel.trace.map((e) => (e.type === 'unwatched' ? e.text : lines([e])[0]))).toEqual(['0 up a', '0 role a before', 'fence a!', '0 role a after']);
  });

  it('an effect type has one handler: a second registration is refused', () => {
    const kernel = kernelOf([]);
    kernel.handle('fence', () => {});
    expect(() => kernel.handle('fence', () => {})).toThrow(/already has a handler/);
  });

  it('a queue item kind runs its payload when due; a scenario-lane item after the system\'s own work of that millisecond', () => {
    toy.behaviour.start = () => [{ type: 'set-timer', name: 'at-50', afterMs: 50 }];
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(event.name)] : []);
    const kernel = kernelOf(['a']);
    const ran: string[] = [];
    const later = kernel.itemKind<{ what: string }>('note', ({ what }) => {
      ran.push(`${kernel.nowMs} ${what}`);
      kernel.record({ atMs: kernel.nowMs, type: 'unwatched', node: 'a', text: what });
    });
    later(50, { what: 'operator' }, Lane.Scenario);
    later(20, { what: 'early' });
    bootAll(kernel);
    kernel.runUntil(100);
    expect(ran).toEqual(['20 early', '50 operator']);
    expect(kernel.trace.filter((e) => e.atMs === 50).map((e) => e.type)).toEqual(['role', 'unwatched']);
    expect(() => kernel.itemKind('note', () => {})).toThrow(/already registered/);
  });

  it('observers see every trace event in the order registered, before onTrace; keepTrace false keeps none', () => {
    const seen: string[] = [];
    const kernel = kernelOf(['a'], { keepTrace: false, onTrace: (e) => seen.push(`onTrace ${e.type}`) });
    kernel.observe((e) => seen.push(`first ${e.type}`));
    kernel.observe((e) => seen.push(`second ${e.type}`));
    bootAll(kernel);
    expect(seen).toEqual(['first up', 'second up', 'onTrace up']);
    expect(kernel.trace).toEqual([]);
  });

  it('an annotation adds fields to a machine\'s trace event after its own, and only where it returns some', () => {
    toy.behaviour.start = () => [say('one'), say('two')];
    const kernel = kernelOf(['a']);
    kernel.annotate((host, event) => (event.type === 'role' && event.reason === 'two' ? { by: host.id } : null));
    bootAll(kernel);
    const roles = kernel.trace.filter((e) => e.type === 'role');
    expect(roles.map((e) => JSON.stringify(e))).toEqual([
      '{"atMs":0,"node":"a","type":"role","role":"toy","term":0,"reason":"one"}',
      '{"atMs":0,"node":"a","type":"role","role":"toy","term":0,"reason":"two","by":"a"}',
    ]);
  });

  it('taps hear of messages sent and of messages taken (after the machine took it, before its effects), and of nodes going up and down', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'a' ? [{ type: 'set-timer', name: 'go', afterMs: 10 }] : []);
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer') return [{ type: 'send', to: 'b', msg: { type: 'Ping' } }];
      return event.type === 'message' ? [say(`${ctx.id} got ${event.msg.type} (${ctx.disk.got.length} before)`)] : [];
    };
    const kernel = kernelOf(['a', 'b']);
    const heard: string[] = [];
    kernel.onUp((host) => heard.push(`up ${host.id} (${host.up ? 'running' : 'not yet running'})`));
    kernel.onSend((host, to, msg) => heard.push(`${host.id} sends ${msg.type} to ${to}`));
    kernel.onDeliver((host, from, msg) => heard.push(`${host.id} took ${msg.type} from ${from}; traced so far: ${kernel.trace.filter((e) => e.type === 'role').length}`));
    kernel.onDown((host, cause, wasUp) => heard.push(`down ${host.id} ${cause} ${wasUp ? 'was up' : 'was down'}`));
    bootAll(kernel);
    kernel.runUntil(100);
    kernel.takeDown(kernel.host('b')!, 'crash', false, 'crashed');
    kernel.takeDown(kernel.host('b')!, 'wipe-disk', true, 'its disk failed');
    expect(heard).toEqual([
      'up a (not yet running)',
      'up b (not yet running)',
      'a sends Ping to b',
      'b took Ping from a; traced so far: 0',
      'down b crash was up',
      'down b wipe-disk was down',
    ]);
    expect(lines(kernel.trace).slice(-3)).toEqual([expect.stringMatching(/^\d+ role b b got Ping \(0 before\)$/), '100 down b', '100 down b']);
    expect(kernel.trace.filter((e) => e.type === 'down').map((e) => (e.type === 'down' ? `${e.reason} ${e.diskLost}` : ''))).toEqual(['crashed false', 'its disk failed true']);
  });

  it('tell hands an event to a running node and performs what it answers', () => {
    toy.behaviour.on = (ctx, event) => (event.type === 'propose' ? [say(`${ctx.id} takes ${event.cmd}`), { type: 'set-timer', name: 'done', afterMs: 5 }] : event.type === 'timer' ? [say(event.name)] : []);
    const kernel = kernelOf(['a']);
    bootAll(kernel);
    kernel.runUntil(10);
    kernel.tell(kernel.host('a')!, { type: 'propose', cmd: 'x' });
    kernel.runUntil(20);
    expect(lines(kernel.trace).slice(1)).toEqual(['10 role a a takes x', '15 role a done']);
  });

  // Sweep seed 24001 #3065: the cloud answered an orchestrator's status call at once, and the
  // answer's effects (a Raft log trace of index 27) were performed before the rest of the first
  // event's (the log trace of index 26): the checker read a leader truncating its log.
  it('an answer told to a node at once, while its effects are being performed, comes after the last of them', () => {
    toy.behaviour.start = (ctx) =>
      ctx.id === 'a' ? [say('asks'), { type: 'cloud-status', node: 'b' }, say('after asking'), { type: 'set-timer', name: 'retry', afterMs: 30 }] : [];
    toy.behaviour.on = (_ctx, event) =>
      event.type === 'cloud-status' ? [say(`answered: b ${event.up ? 'up' : 'down'}`), { type: 'cancel-timer', name: 'retry' }] : event.type === 'timer' ? [say(event.name)] : [];
    const kernel = kernelOf(['a', 'b']);
    kernel.handle('cloud-status', (host, effect) => kernel.tell(host, { type: 'cloud-status', node: effect.node, up: kernel.host(effect.node)!.up, diskLost: false, dark: false }));
    bootAll(kernel);
    kernel.runUntil(100);
    // The answer's cancel came after the timer was armed, so the timer never fires.
    expect(lines(kernel.trace)).toEqual(['0 up a', '0 role a asks', '0 role a after asking', '0 role a answered: b down', '0 up b']);
  });

  it('answers held for a busy node come in the order told, and none reaches a life that ended meanwhile', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'a' ? [{ type: 'cloud-status', node: 'a' }, { type: 'cloud-status', node: 'b' }, say('done asking')] : []);
    toy.behaviour.on = (_ctx, event) => (event.type === 'cloud-status' ? [say(`answered about ${event.node}`)] : []);
    const kernel = kernelOf(['a', 'b']);
    kernel.handle('cloud-status', (host, effect) => kernel.tell(host, { type: 'cloud-status', node: effect.node, up: true, diskLost: false, dark: false }));
    bootAll(kernel);
    expect(lines(kernel.trace).slice(0, 5)).toEqual(['0 up a', '0 role a done asking', '0 role a answered about a', '0 role a answered about b', '0 up b']);

    // A fence of itself: the answer held for `a` is dropped, as `a` is down by the time it would come.
    toy.behaviour.start = () => [];
    toy.behaviour.on = (_ctx, event) => (event.type === 'propose' ? [{ type: 'fence', node: 'a' }, { type: 'set-timer', name: 'later', afterMs: 5 }] : [say(`got ${event.type}`)]);
    const fencing = kernelOf(['a']);
    fencing.handle('fence', (host, effect) => {
      fencing.tell(host, { type: 'fence-result', node: effect.node, ok: true, reason: 'powered off' });
      fencing.takeDown(fencing.host(effect.node)!, 'fenced', false, 'fenced');
    });
    bootAll(fencing);
    fencing.tell(fencing.host('a')!, { type: 'propose', cmd: 'x' });
    fencing.runUntil(10);
    expect(lines(fencing.trace)).toEqual(['0 up a', '0 down a']);
  });

  it('an answer to the last of a node\'s effects comes at once: nothing of its own is left to come first', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'a' ? [say('asks'), { type: 'cloud-status', node: 'b' }] : []);
    toy.behaviour.on = (_ctx, event) => (event.type === 'cloud-status' ? [say('answered')] : []);
    const kernel = kernelOf(['a', 'b']);
    const handled: string[] = [];
    kernel.handle('cloud-status', (host, effect) => {
      kernel.tell(host, { type: 'cloud-status', node: effect.node, up: false, diskLost: false, dark: false });
      handled.push(`answered ${host.id}; traced by then: ${kernel.trace.length}`);
    });
    bootAll(kernel);
    expect(handled).toEqual(['answered a; traced by then: 3']);
    expect(lines(kernel.trace)).toEqual(['0 up a', '0 role a asks', '0 role a answered', '0 up b']);
  });

  it('deferring holds back what an act traces, for its caller to record after its own event', () => {
    const kernel = kernelOf(['a']);
    bootAll(kernel);
    const { result, deferred } = kernel.deferring(() => {
      kernel.takeDown(kernel.host('a')!, 'crash', false, 'crashed');
      return 'crashed a';
    });
    expect(result).toBe('crashed a');
    expect(lines(deferred)).toEqual(['0 down a']);
    expect(lines(kernel.trace)).toEqual(['0 up a']);
    kernel.record({ atMs: 0, type: 'unwatched', node: 'a', text: 'cause first' });
    for (const e of deferred) kernel.record(e);
    expect(lines(kernel.trace)).toEqual(['0 up a', '0 unwatched a', '0 down a']);
  });

  it('a node removed before it ever booted is gone from the hosts', () => {
    const kernel = kernelOf(['a', 'b']);
    kernel.removeHost('b');
    expect([...kernel.hosts()].map((h) => h.id)).toEqual(['a']);
    expect(kernel.host('b')).toBeUndefined();
  });

  it('a node\'s typed facts are read off its running machine, and kept as they were when it stopped', () => {
    const kernel = new Kernel({ seed: 5, settings: DEFAULT_SETTINGS, topology: TOPOLOGY });
    const program = { ...toyProgram, facts: (snapshot: { context: unknown }) => ({ watches: [`boot-${(snapshot.context as ToyContext).disk.boots}`] }) };
    const host = kernel.addHost('a', 'orchestrator', 'primary', program, [], null);
    expect(host.facts()).toEqual({});
    kernel.bringUp(host, 'booted');
    kernel.takeDown(host, 'crash', false, 'crashed');
    kernel.bringUp(host, 'restarted');
    expect(host.facts()).toEqual({ watches: ['boot-2'] });
    kernel.takeDown(host, 'crash', false, 'crashed');
    expect(host.facts()).toEqual({ watches: ['boot-2'] });
  });
});
