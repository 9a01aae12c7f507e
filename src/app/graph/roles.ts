/** How a role reads: a word and a glyph as well as a colour, so colour is never the only cue. */
import type { NodeState } from '../../sim';

export interface RoleLook {
  readonly role: string;
  readonly word: string;
  readonly glyph: string;
}

/** Each role's glyph; its word is the role's own name. */
const GLYPHS: Readonly<Record<string, string>> = {
  leader: '★',
  candidate: '?',
  follower: '●',
  down: '✕',
  primary: '★',
  standby: '●',
  demoted: '▼',
  rebuilding: '↻',
  serving: '▶',
  balancing: '⇆',
  provisioning: '◔',
  restoring: '⟲',
};

/**
 * The role the page shows: the machine's own, or `down` when its process is not running. A machine
 * the cloud is still starting is `provisioning` whether or not the kernel counts it as up yet; a
 * database an operator restores from a backup store is `restoring` until it comes up.
 */
export function roleOf(node: NodeState): string {
  if (node.restoring) return 'restoring';
  if (node.view.role === 'provisioning') return 'provisioning';
  return node.up ? node.view.role : 'down';
}

export function roleLook(node: NodeState): RoleLook {
  const role = roleOf(node);
  return { role, word: role, glyph: GLYPHS[role] ?? '◆' };
}

/**
 * Whether the node has a term or epoch worth naming: not while the cloud is still starting it or
 * an operator is restoring it, when the number its machine last held says nothing (a restored
 * database comes up in the epoch of its backup).
 */
export function hasTerm(node: NodeState): boolean {
  const role = roleOf(node);
  return node.view.term !== null && role !== 'provisioning' && role !== 'restoring';
}

/** A database's term is its epoch (PostgreSQL's timeline); everyone else has terms. */
export function termWord(node: NodeState): string {
  return node.kind === 'database' ? 'epoch' : 'term';
}

/**
 * The accessible name: id, role and term, e.g. "orch-2, leader, term 3" or "db-2, primary, epoch 2",
 * then what the node's life says: "api-2, down, replaced by api-4", "api-4, provisioning, replaces api-2".
 */
export function nodeLabel(node: NodeState): string {
  const role = roleOf(node);
  const parts = [node.id, role];
  if (hasTerm(node)) parts.push(`${termWord(node)} ${node.view.term}`);
  if (node.replacedBy) parts.push(`replaced by ${node.replacedBy}`);
  else if (node.replaces && role === 'provisioning') parts.push(`replaces ${node.replaces}`);
  return parts.join(', ');
}
