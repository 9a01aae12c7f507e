/**
 * The line a node's card gives to its life: "provisioning, ready in 2.1 s (at 12.3 s)" while the
 * cloud starts a replacement, "replaced by api-4" on the dead node it stands in for. Only a node
 * being provisioned or restored from a backup ("from backup-mumbai, ready in 3.2 s") follows the clock, and only in tenths of a second.
 */
import type { NodeState } from '../../sim';
import { useSim } from '../store/sim-store';
import { lifeNote } from './services';

export function LifeLine({ node }: { node: NodeState }) {
  const counting = (node.view.role === 'provisioning' && node.readyAtMs !== undefined) || node.restoring !== undefined;
  const nowMs = useSim((s) => (counting ? Math.floor(s.nowMs / 100) * 100 : 0));
  const note = lifeNote(node, nowMs);
  if (!note) return null;
  if (note.kind === 'replaced') {
    return (
      <span className="life-line is-replaced">
        replaced by <strong>{note.by}</strong>
      </span>
    );
  }
  if (note.kind === 'restoring') {
    return (
      <span className="life-line is-restoring" title={`Copying the backups of ${note.from} up to LSN ${note.upToLsn}, then checking them; it comes up ${note.readyAt}`}>
        from <strong>{note.from}</strong>
        <span className="life-when">{note.countdown}</span>
      </span>
    );
  }
  return (
    <span className="life-line is-provisioning" title={note.replaces ? `A new machine the cloud is starting in place of ${note.replaces}` : 'A new machine the cloud is starting'}>
      {note.countdown ?? 'starting'}
      {note.readyAt && <span className="life-when"> ({note.readyAt})</span>}
      {note.replaces && <span className="life-for">for {note.replaces}</span>}
    </span>
  );
}

/** Words for the accessible name: when a provisioning or restoring node will be ready (static, so the name does not change every frame). */
export function lifeLabel(node: NodeState): string {
  const note = lifeNote(node, 0);
  if (note?.kind === 'restoring') return `, from ${note.from}, ready ${note.readyAt}`;
  return note?.kind === 'provisioning' && note.readyAt ? `, ready ${note.readyAt}` : '';
}
