/** How a role reads: a word and a glyph as well as a colour, so colour is never the only cue. */
import type { NodeState } from '../../sim/kernel/simulation';

export interface RoleLook {
  readonly role: string;
  readonly word: string;
  readonly glyph: string;
}

const LOOKS: Record<string, Omit<RoleLook, 'role'>> = {
  leader: { word: 'leader', glyph: '★' },
  candidate: { word: 'candidate', glyph: '?' },
  follower: { word: 'follower', glyph: '●' },
  down: { word: 'down', glyph: '✕' },
  primary: { word: 'primary', glyph: '★' },
  standby: { word: 'standby', glyph: '●' },
  demoted: { word: 'demoted', glyph: '▼' },
  rebuilding: { word: 'rebuilding', glyph: '↻' },
};

export function roleOf(node: NodeState): string {
  return node.up ? node.view.role : 'down';
}

export function roleLook(node: NodeState): RoleLook {
  const role = roleOf(node);
  return { role, ...(LOOKS[role] ?? { word: role, glyph: '◆' }) };
}

/** A database's term is its epoch (PostgreSQL's timeline); everyone else has terms. */
export function termWord(node: NodeState): string {
  return node.kind === 'database' ? 'epoch' : 'term';
}

/** The accessible name: id, role and term, e.g. "orch-2, leader, term 3" or "db-2, primary, epoch 2". */
export function nodeLabel(node: NodeState): string {
  const parts = [node.id, roleOf(node)];
  if (node.view.term !== null) parts.push(`${termWord(node)} ${node.view.term}`);
  return parts.join(', ');
}
