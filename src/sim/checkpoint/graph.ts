/**
 * A frozen copy of a live object graph's state, and pouring it back into a freshly built graph of
 * the same shape. This is what lets a checkpoint hold a whole simulation without each part of the
 * world writing its own save and load: whatever fields a class gains, the copy follows.
 *
 * The copy tells state from wiring:
 * - primitives, arrays, Maps, Sets, plain objects and class instances are state: copied deeply
 *   (each object once, so objects shared inside the graph stay shared, cycles included);
 * - functions, and plain objects holding a function (a machine's program, the kernel's options
 *   with their callbacks), are wiring: not copied. On restore the fresh graph keeps its own, which
 *   is why a restore pours into a graph built from the same scenario rather than making one up;
 *   only where the fresh graph has nothing in that place (a node the cloud provisioned later) is
 *   the captured reference put back, which is right for module-level constants;
 * - objects named `wiring` by the caller (the scenario) are treated the same way;
 * - a frozen object is taken to be immutable all the way down (a WAL record, an acknowledged
 *   write in the ledger): checkpoints share it instead of copying it, which keeps a long run's
 *   checkpoints small and quick;
 * - objects the caller says are `opaque` (running XState actors) are left out: the caller saves and
 *   resumes them its own way (their persisted snapshots, see machines/actor-runner.ts);
 * - arrays the caller names as `logs` are append-only with items never changed (the trace): a
 *   checkpoint keeps the array and its length, not a copy, and a restore takes that prefix.
 *
 * On restore, a class instance that the fresh graph has in the same place (the same field, the
 * same index, the same Map key) is refilled in place rather than replaced, so it keeps its wiring
 * and closures in the fresh graph that hold it still see it; containers and plain objects are made
 * anew.
 * Copying is done both ways (capture and restore), so one checkpoint can be restored many times.
 */

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** One captured value. */
export type Captured =
  | Primitive
  | { readonly t: 'ref'; readonly id: number }
  | { readonly t: 'wire'; readonly value: unknown }
  | { readonly t: 'keep'; readonly value: object }
  | { readonly t: 'opaque' }
  | { readonly t: 'log'; readonly id: number; readonly items: readonly unknown[]; readonly length: number }
  | { readonly t: 'array'; readonly id: number; readonly items: readonly Captured[] }
  | { readonly t: 'bytes'; readonly id: number; readonly copy: Sliceable }
  | { readonly t: 'map'; readonly id: number; readonly entries: readonly (readonly [Captured, Captured])[] }
  | { readonly t: 'set'; readonly id: number; readonly items: readonly Captured[] }
  | { readonly t: 'object'; readonly id: number; readonly proto: object | null; readonly fields: Readonly<Record<string, Captured>> };

export interface CapturePolicy {
  /** Objects that are configuration, not state: kept as they are in the fresh graph. */
  readonly wiring?: ReadonlySet<object>;
  /** Append-only arrays whose items are never changed: kept as a prefix, not copied. */
  readonly logs?: ReadonlySet<unknown[]>;
  /** Objects left out of the copy entirely (the caller saves them its own way). */
  readonly opaque?: (value: object) => boolean;
}

type Obj = Record<string, unknown>;

/** A typed array, as far as copying it goes. */
interface Sliceable {
  slice(): Sliceable;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain object holding a function is wiring (a program, a table of callbacks), not state. */
function holdsFunction(value: object): boolean {
  for (const key of Object.keys(value)) if (typeof (value as Obj)[key] === 'function') return true;
  return false;
}

/** Copies the state of the graph under `root` (its own fields, and everything they reach). */
export function capture(root: object, policy: CapturePolicy = {}): Captured {
  const ids = new Map<object, number>();
  const wiring = policy.wiring ?? new Set<object>();
  const logs = policy.logs ?? new Set<unknown[]>();
  const opaque = policy.opaque ?? (() => false);

  const visit = (value: unknown): Captured => {
    if (typeof value === 'function') return { t: 'wire', value };
    if (typeof value !== 'object' || value === null) return value as Primitive;
    const seen = ids.get(value);
    if (seen !== undefined) return { t: 'ref', id: seen };
    if (wiring.has(value)) return { t: 'wire', value };
    if (Object.isFrozen(value)) return { t: 'keep', value };
    if (opaque(value)) return { t: 'opaque' };
    const id = ids.size;
    ids.set(value, id);
    if (Array.isArray(value)) {
      if (logs.has(value)) return { t: 'log', id, items: value, length: value.length };
      return { t: 'array', id, items: value.map(visit) };
    }
    // A typed array (the write ledger's compact acknowledgements) is copied whole: it holds numbers only.
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return { t: 'bytes', id, copy: (value as unknown as Sliceable).slice() };
    if (value instanceof Map) return { t: 'map', id, entries: [...value].map(([k, v]) => [visit(k), visit(v)] as const) };
    if (value instanceof Set) return { t: 'set', id, items: [...value].map(visit) };
    if (isPlainObject(value) && holdsFunction(value)) {
      ids.delete(value);
      return { t: 'wire', value };
    }
    const fields: Record<string, Captured> = {};
    for (const key of Object.keys(value)) fields[key] = visit((value as Obj)[key]);
    return { t: 'object', id, proto: Object.getPrototypeOf(value) as object | null, fields };
  };
  return visit(root);
}

/**
 * Pours a captured state into `root`, a fresh graph built the same way as the captured one:
 * `root` itself is refilled, and returned.
 */
export function restore<T extends object>(root: T, captured: Captured): T {
  const made = new Map<number, unknown>();

  const make = (c: Captured, fresh: unknown): unknown => {
    if (typeof c !== 'object' || c === null) return c;
    switch (c.t) {
      case 'ref':
        if (!made.has(c.id)) throw new Error(`checkpoint: reference to #${c.id} before it was made`);
        return made.get(c.id);
      case 'wire':
        return fresh !== undefined && typeof fresh === typeof c.value ? fresh : c.value;
      case 'keep':
        return c.value;
      case 'opaque':
        return fresh ?? null;
      case 'log': {
        const out = c.items.slice(0, c.length);
        made.set(c.id, out);
        return out;
      }
      case 'array': {
        const old = Array.isArray(fresh) ? (fresh as unknown[]) : [];
        const out: unknown[] = new Array(c.items.length);
        made.set(c.id, out);
        for (let i = 0; i < c.items.length; i++) out[i] = make(c.items[i], old[i]);
        return out;
      }
      case 'bytes': {
        const out = c.copy.slice();
        made.set(c.id, out);
        return out;
      }
      case 'map': {
        const old = fresh instanceof Map ? fresh : new Map<unknown, unknown>();
        const out = new Map<unknown, unknown>();
        made.set(c.id, out);
        for (const [k, v] of c.entries) {
          const key = make(k, undefined);
          out.set(key, make(v, old.get(key)));
        }
        return out;
      }
      case 'set': {
        const out = new Set<unknown>();
        made.set(c.id, out);
        for (const item of c.items) out.add(make(item, undefined));
        return out;
      }
      case 'object': {
        // Only a class instance is refilled in place (it owns its wiring); a plain object may be a
        // shared constant of the fresh graph, so it is always made anew.
        const reuse = typeof fresh === 'object' && fresh !== null && c.proto !== Object.prototype && c.proto !== null && Object.getPrototypeOf(fresh) === c.proto && !Object.isFrozen(fresh);
        const out = (reuse ? fresh : Object.create(c.proto)) as Obj;
        made.set(c.id, out);
        for (const key of Object.keys(out)) if (!(key in c.fields) && typeof out[key] !== 'function') delete out[key];
        // A plain object made anew still takes what the fresh graph had in each field, for its wiring.
        const from = typeof fresh === 'object' && fresh !== null ? (fresh as Obj) : {};
        for (const key of Object.keys(c.fields)) out[key] = make(c.fields[key], from[key]);
        return out;
      }
    }
  };

  if (typeof captured !== 'object' || captured === null || captured.t !== 'object') throw new Error('checkpoint: the captured root is not an object');
  return make(captured, root) as T;
}
