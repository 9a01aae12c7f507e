/** Which links the graph draws: a pure rule, so it can be tested without a browser. */
import { linkKey } from '../store/sim-store';

/** Kinds whose members all talk to each other, so every pair gets a link from the start. */
const MESHED_KINDS = ['orchestrator', 'database'] as const;

/**
 * The link keys to draw: every pair within a meshed kind (orchestrators; database nodes, since
 * any of them may become the primary), plus any other pair that has carried a message.
 */
export function linkKeys(nodeIds: readonly string[], kindOf: (id: string) => string | undefined, talked: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const kind of MESHED_KINDS) {
    const members = nodeIds.filter((id) => kindOf(id) === kind);
    members.forEach((a, i) => members.slice(i + 1).forEach((b) => keys.add(linkKey(a, b))));
  }
  const known = new Set(nodeIds);
  for (const key of talked) {
    const [a, b] = key.split('|');
    if (a && b && known.has(a) && known.has(b)) keys.add(key);
  }
  return [...keys];
}
