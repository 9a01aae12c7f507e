/**
 * The orchestrators replace a lost database node, as RDS Multi-AZ, CloudNativePG or Patroni on
 * Kubernetes rebuild a lost replica without a human:
 *
 * - **Lost.** The agent whose Raft member leads health-checks every database node. A node that
 *   fails `failureThreshold` checks in a row is down; the agent then asks the cloud's API about it
 *   (`cloud-status`, as a cloud reports a machine and its volume). Its disk is gone (`wipe-disk`):
 *   it is lost at once. It has been down for `replaceDatabaseAfterMs` (counted in this leader's
 *   failed checks): it is lost too. A node whose data centre is dark is never replaced (its disk
 *   is probably fine, and nothing can be started there).
 * - **Only from a healthy primary.** A replacement copies a base backup from the current primary,
 *   so it is decided only while the primary answers writable and no failover is under way; the
 *   primary itself is never replaced (a failover comes first).
 * - **Through the log.** `db-replace db-2 db-4` is committed like any duty. Every agent applies it:
 *   db-4 takes db-2's place in the list of database nodes it watches and inherits db-2's place in
 *   the topology (its replication mode; the cloud starts it in db-2's data centre). The id is one
 *   above any database id the log has named, so a replayed or duplicate entry is a no-op: never
 *   two replacements for one loss.
 * - **Re-checked at commit.** The leader provisions db-4 only once its own checks show db-2 still
 *   down; a db-2 that answers again with its data keeps its place (`db-keep db-2`, trace `skip`).
 *   Once provisioned, db-2 is retired for good (the cloud powers it off; it never comes back under
 *   its old id), and the health checks tell the database nodes (`HealthCheck.replaced`), so the
 *   primary streams to db-4 and db-2 stops counting as a standby.
 * - **Catching up.** db-4 boots empty, copies a base backup from the primary at
 *   `baseBackupBytesPerSec`, then streams; the primary names it synchronous (where the topology
 *   asks for one) by its usual rule, only once it holds every acknowledged write, and only a
 *   named standby is ever promoted. When it answers as a standby that holds what the primary had
 *   acknowledged, the leader commits `db-in-service db-4` (trace `replace`, step `in-service`).
 *
 * With no orchestrators (a witness setup, or none at all) nothing replaces a lost node.
 */
import type { NodeId, NodeTrace, ReplaceStep } from '../protocol';
import type { HealthReply } from '../database/types';
import type { AgentContext, AgentEffect, AgentMessage, DbReplaceState } from './types';

/** The part of the agent's `Change` (change.ts) this file uses. */
export interface AgentEdit {
  readonly ctx: AgentContext;
  readonly effects: AgentEffect[];
  set(patch: Partial<AgentContext>): void;
  send(to: NodeId, msg: AgentMessage, ordered?: boolean): void;
  propose(cmd: string): void;
  trace(event: NodeTrace): void;
}

export type DbCommand = { kind: 'db-replace'; dead: NodeId; replacement: NodeId } | { kind: 'db-keep'; node: NodeId } | { kind: 'db-in-service'; node: NodeId };

export function parseDbCommand(cmd: string): DbCommand | null {
  const parts = cmd.split(' ');
  const isDb = (id: string | undefined) => id !== undefined && /^db-[1-9][0-9]{0,5}$/.test(id);
  if (parts[0] === 'db-replace' && parts.length === 3 && isDb(parts[1]) && isDb(parts[2])) return { kind: 'db-replace', dead: parts[1]!, replacement: parts[2]! };
  if (parts[0] === 'db-keep' && parts.length === 2 && isDb(parts[1])) return { kind: 'db-keep', node: parts[1]! };
  if (parts[0] === 'db-in-service' && parts.length === 2 && isDb(parts[1])) return { kind: 'db-in-service', node: parts[1]! };
  return null;
}

const numberOf = (id: NodeId) => Number(/-(\d+)$/.exec(id)?.[1] ?? 0);

export function initialDbReplace(databases: readonly NodeId[]): DbReplaceState {
  return { memberLeads: false, replaced: {}, inService: {}, nextDb: Math.max(0, ...databases.map(numberOf)) + 1, provisioned: {}, cloud: {}, proposed: {}, taken: {} };
}

function patch(c: AgentEdit, change: Partial<DbReplaceState>): void {
  c.set({ dbs: { ...c.ctx.dbs, ...change } });
}

/** The entry the agent applies now is re-read after a restart (`Replay` in types.ts): nothing about it is said again. */
const replaying = (ctx: AgentContext): boolean => ctx.duties.replay.next;

function step(c: AgentEdit, step: ReplaceStep, dead: NodeId, replacement: NodeId | null, text: string): void {
  c.trace({ type: 'replace', step, dead, replacement, text });
}

/** Replacements whose new machine exists for sure (provisioned by this leader, or heard from): the database nodes may drop the node replaced. */
export function settledReplacements(ctx: AgentContext): Readonly<Record<NodeId, NodeId>> | undefined {
  const d = ctx.dbs;
  const settled = Object.keys(d.replaced).filter((dead) => d.provisioned[d.replaced[dead]!] || d.inService[d.replaced[dead]!]);
  if (settled.length === 0) return undefined;
  return Object.fromEntries(settled.map((dead) => [dead, d.replaced[dead]!]));
}

/** Nodes the leader checks beside the database members: a node whose replacement is decided but not yet made (is it back?). */
export function pendingDead(ctx: AgentContext): NodeId[] {
  const d = ctx.dbs;
  return Object.keys(d.replaced).filter((dead) => !d.provisioned[d.replaced[dead]!] && !d.inService[d.replaced[dead]!]);
}

function proposeOnce(c: AgentEdit, cmd: string): void {
  if (c.ctx.dbs.proposed[cmd]) return;
  patch(c, { proposed: { ...c.ctx.dbs.proposed, [cmd]: true } });
  c.propose(cmd);
}

// ---- the co-located member ------------------------------------------------------------------------

/** Its Raft member leads or no longer does (with `quorum` off the failover agent acts anyway; a replacement needs the log's leader). */
export function dbMemberRole(c: AgentEdit, leads: boolean): void {
  if (leads === c.ctx.dbs.memberLeads) return;
  // What it provisioned stays known (a fact); what it proposed or heard from the cloud is asked again.
  patch(c, { memberLeads: leads, cloud: {}, proposed: {} });
}

/** The member refused a proposal (it does not lead now): it may be proposed again. */
export function dbMemberReply(c: AgentEdit, cmd: string, accepted: boolean): void {
  if (accepted || !c.ctx.dbs.proposed[cmd]) return;
  const proposed = { ...c.ctx.dbs.proposed };
  delete proposed[cmd];
  patch(c, { proposed });
}

/** A `db-*` entry was applied (by every agent alike, so all agree on the list of database nodes). */
export function dbApplied(c: AgentEdit, command: DbCommand, cmd: string): void {
  const d = c.ctx.dbs;
  if (d.proposed[cmd]) {
    const proposed = { ...d.proposed };
    delete proposed[cmd];
    patch(c, { proposed });
  }
  // Re-read after a restart: what it knows is rebuilt, but nothing is said again.
  const leads = c.ctx.dbs.memberLeads;
  const tells = leads && !replaying(c.ctx);
  switch (command.kind) {
    case 'db-replace': {
      const { dead, replacement } = command;
      const taken = c.ctx.databases.includes(replacement) || Object.values(d.replaced).includes(replacement) || numberOf(replacement) < d.nextDb;
      if (d.replaced[dead] !== undefined || taken || !c.ctx.databases.includes(dead)) return; // decided already (a replay), or that id is used
      patch(c, { replaced: { ...d.replaced, [dead]: replacement }, nextDb: numberOf(replacement) + 1 });
      c.set({ databases: c.ctx.databases.map((db) => (db === dead ? replacement : db)) });
      if (leads) {
        if (tells) step(c, 'decide', dead, replacement, `the orchestrators committed the replacement of database node ${dead} by ${replacement} in their log`);
        maintainDb(c);
      }
      return;
    }
    case 'db-keep': {
      const replacement = d.replaced[command.node];
      // Decided by the log alone, so every agent keeps the same list (a leader proposes it only
      // before the new machine was asked for: after that the old one is retired and never answers).
      if (replacement === undefined || d.inService[replacement]) return;
      const replaced = { ...d.replaced };
      delete replaced[command.node];
      patch(c, { replaced });
      c.set({ databases: c.ctx.databases.map((db) => (db === replacement ? command.node : db)) });
      if (tells) step(c, 'skip', command.node, replacement, `${command.node} answers again with its data: the replacement by ${replacement} decided earlier is skipped`);
      return;
    }
    case 'db-in-service': {
      if (d.inService[command.node]) return;
      patch(c, { inService: { ...d.inService, [command.node]: true } });
      const dead = Object.keys(d.replaced).find((k) => d.replaced[k] === command.node);
      if (tells && dead !== undefined) step(c, 'in-service', dead, command.node, `${command.node} has caught up with the primary and is a standby in place of ${dead}`);
      return;
    }
  }
}

// ---- the leader's rounds ----------------------------------------------------------------------------

/** Whether this agent may replace database nodes now: its member leads and it watches the database. */
function replaces(ctx: AgentContext): boolean {
  return ctx.active && ctx.dbs.memberLeads && ctx.topology.election === 'raft';
}

/** The primary answers writable and no failover is under way: a base backup can be taken from it. */
function healthyPrimary(ctx: AgentContext): boolean {
  const reply = ctx.replies[ctx.primary];
  return (ctx.plan === null || ctx.plan.step === 'done') && reply?.writable === true && reply.role === 'primary' && (ctx.failures[ctx.primary] ?? 0) === 0;
}

/** Once per health-check round, after the checks went out: ask the cloud about nodes down, decide replacements, carry them out. */
export function dbRound(c: AgentEdit): void {
  if (!replaces(c.ctx)) return;
  const { ctx } = c;
  const threshold = ctx.settings.healthCheck.failureThreshold;
  // The primary too: a failover needs to know whether its disk is gone (`dataGone`); it is never replaced.
  for (const db of ctx.databases) {
    if ((ctx.failures[db] ?? 0) < threshold) continue;
    c.effects.push({ type: 'cloud-status', node: db });
  }
  // Is the id the next replacement would take free? The cloud answers only for a machine that exists.
  c.effects.push({ type: 'cloud-status', node: nextFreeId(ctx) });
  maybeReplace(c);
  maintainDb(c);
}

/**
 * The id for the next replacement: one above any database id the log has named, skipping ids the
 * cloud has a machine for already (a new machine an operator restored a backup onto): the cloud
 * would not start a second machine of that name, and the replacement would silently not be made.
 */
function nextFreeId(ctx: AgentContext): NodeId {
  let k = ctx.dbs.nextDb;
  while (ctx.dbs.taken[`db-${k}`]) k++;
  return `db-${k}`;
}

/** A machine outside the log's database nodes (not a member, not a replacement decided): its id is taken. */
function outsideTheLog(ctx: AgentContext, node: NodeId): boolean {
  const d = ctx.dbs;
  return !ctx.databases.includes(node) && d.replaced[node] === undefined && !Object.values(d.replaced).includes(node);
}

/** The cloud's answer about a machine: a lost disk is replaced at once. */
export function dbCloudStatus(c: AgentEdit, node: NodeId, up: boolean, diskLost: boolean, dark: boolean): void {
  if (!replaces(c.ctx)) return;
  if (outsideTheLog(c.ctx, node)) {
    if (!c.ctx.dbs.taken[node]) patch(c, { taken: { ...c.ctx.dbs.taken, [node]: true } });
    return;
  }
  patch(c, { cloud: { ...c.ctx.dbs.cloud, [node]: { up, diskLost, dark } } });
  maybeReplace(c);
}

function lostWhy(ctx: AgentContext, db: NodeId): string | null {
  const { intervalMs, failureThreshold } = ctx.settings.healthCheck;
  const failures = ctx.failures[db] ?? 0;
  const cloud = ctx.dbs.cloud[db];
  if (failures < failureThreshold || cloud === undefined || cloud.up || cloud.dark) return null;
  if (cloud.diskLost) return `${db} failed ${failures} health checks in a row and the cloud reports its disk lost`;
  if (failures * intervalMs >= ctx.settings.replaceDatabaseAfterMs) return `${db} has been down for ${((failures * intervalMs) / 1000).toFixed(0)} s (replaceDatabaseAfterMs ${ctx.settings.replaceDatabaseAfterMs} ms)`;
  return null;
}

function maybeReplace(c: AgentEdit): void {
  const { ctx } = c;
  if (!healthyPrimary(ctx)) return;
  for (const db of ctx.databases) {
    if (db === ctx.primary || ctx.dbs.replaced[db] !== undefined) continue;
    // A replacement still on its way in is judged like any node, but only once its machine exists.
    const why = lostWhy(ctx, db);
    if (why === null) continue;
    const replacement = nextFreeId(ctx);
    const cmd = `db-replace ${db} ${replacement}`;
    if (!ctx.dbs.proposed[cmd]) step(c, 'detect', db, replacement, `${why}; ${ctx.id} asks the cluster to replace it with ${replacement}`);
    proposeOnce(c, cmd);
    // One replacement a round: the next free id is known only once the log has decided this one
    // (and the cloud was asked about that id), so a second node lost waits for the next round.
    return;
  }
}

/** Carries out the replacements the log decided: provision (once this leader sees the node still down), or keep a node that came back. */
function maintainDb(c: AgentEdit): void {
  const { ctx } = c;
  const threshold = ctx.settings.healthCheck.failureThreshold;
  for (const dead of Object.keys(ctx.dbs.replaced)) {
    const replacement = ctx.dbs.replaced[dead]!;
    if (ctx.dbs.inService[replacement]) continue;
    if (!ctx.dbs.provisioned[replacement]) {
      if (answersWithData(ctx.replies[dead]) && (ctx.failures[dead] ?? 0) === 0) {
        proposeOnce(c, `db-keep ${dead}`);
        continue;
      }
      // Decided, maybe by an earlier leader: this leader's own checks must show the node down.
      if ((ctx.failures[dead] ?? 0) < threshold) continue;
      patch(c, { provisioned: { ...ctx.dbs.provisioned, [replacement]: true } });
      c.effects.push({ type: 'provision', node: replacement, kind: 'database', replaces: dead });
      const copy = `copies a base backup from ${ctx.primary} at ${(ctx.settings.baseBackupBytesPerSec / 1000).toFixed(0)} kB/s`;
      step(c, 'provision', dead, replacement, `${ctx.id} asks the cloud for ${replacement} in ${dead}'s data centre; it takes ${(ctx.settings.provisionMs / 1000).toFixed(1)} s to start, then ${copy}`);
      continue;
    }
    if (caughtUp(ctx, replacement)) proposeOnce(c, `db-in-service ${replacement}`);
  }
}

function answersWithData(reply: HealthReply | undefined): boolean {
  return reply !== undefined && (reply.history === undefined || reply.history.length > 0) && reply.role !== 'rebuilding';
}

/** The replacement answers as a standby holding everything the primary had acknowledged at its latest reply. */
function caughtUp(ctx: AgentContext, node: NodeId): boolean {
  const reply = ctx.replies[node];
  const primary = ctx.replies[ctx.primary];
  if (reply === undefined || (ctx.failures[node] ?? 0) > 0 || reply.role !== 'standby' || !answersWithData(reply)) return false;
  return primary?.ackedLsn !== undefined && reply.flushLsn >= primary.ackedLsn && reply.epoch === primary.epoch;
}

/** A health reply of a replacement: it exists (the database nodes may drop the node it replaces) and may be in service now. */
export function dbReplied(c: AgentEdit, from: NodeId): void {
  const d = c.ctx.dbs;
  const dead = Object.keys(d.replaced).find((k) => d.replaced[k] === from);
  if (dead === undefined) return;
  if (!d.provisioned[from]) patch(c, { provisioned: { ...d.provisioned, [from]: true } });
  if (replaces(c.ctx) && !c.ctx.dbs.inService[from] && caughtUp(c.ctx, from)) proposeOnce(c, `db-in-service ${from}`);
}
