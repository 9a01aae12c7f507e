/**
 * The inspector's parts for the stateless tier and self-healing: the load balancer's servers in and
 * out of rotation, a server's counts, a machine being provisioned or replaced, and for any node
 * whom it health-checks and who health-checks it.
 */
import type { NodeState } from '../../../sim';
import { roleOf } from '../../graph/roles';
import { backendsOf, lifeNote, serverLoad, watchersOf } from '../../graph/services';
import { useSim } from '../../store/sim-store';
import { DetailList } from './DetailList';

/** Detail keys these parts tell in words (or the card does); the generic table leaves them out. */
const SERVICE_KEYS = new Set(['inCount', 'outCount', 'inFlight', 'served', 'failed', 'watches', 'readyAtMs']);

/** Whether the generic detail table should leave `key` out, because these parts say it (the load balancer's status is its server list). */
export function toldByServiceParts(node: NodeState, key: string): boolean {
  return SERVICE_KEYS.has(key) || (node.kind === 'load-balancer' && key === 'status');
}

function BackendList({ lb }: { lb: NodeState }) {
  const backends = backendsOf(lb);
  const roles = useSim((s) => backends.map((b) => (s.nodesById[b.id] ? roleOf(s.nodesById[b.id]!) : 'gone')).join(' '));
  if (backends.length === 0) return <p className="small muted">{lb.id} has no servers to send requests to.</p>;
  const roleList = roles.split(' ');
  return (
    <div className="backends">
      <h3>Servers behind {lb.id}</h3>
      <ul>
        {backends.map((b, i) => (
          <li key={b.id} data-backend={b.id} className={b.inRotation ? 'is-in' : 'is-out'}>
            <span className="backend-mark" aria-hidden="true">
              {b.inRotation ? '●' : '○'}
            </span>
            <strong>{b.id}</strong> {b.inRotation ? 'in rotation' : 'out of rotation'}
            <span className="muted"> · {roleList[i]}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Requests held now, answered and failed: a server's own, or for the load balancer all it passed on. */
function RequestCounts({ server }: { server: NodeState }) {
  const { inFlight, served, failed } = serverLoad(server);
  const show = (n: number | null) => (n === null ? '—' : String(n));
  const rows: [string, string][] = [
    ['In flight', server.up ? show(inFlight) : '0'],
    ['Served', show(served)],
  ];
  if (failed !== null) rows.push(['Failed', show(failed)]);
  return <DetailList rows={rows} />;
}

/** A sentence about a machine still being provisioned, being restored from a backup, or replaced for good. */
function LifeSentence({ node }: { node: NodeState }) {
  const nowMs = useSim((s) => Math.floor(s.nowMs / 100) * 100);
  const note = lifeNote(node, nowMs);
  if (!note) return null;
  if (note.kind === 'replaced') {
    return (
      <p className="life-sentence is-replaced">
        {node.id} was replaced by <strong>{note.by}</strong>: it will not come back into service.
      </p>
    );
  }
  if (note.kind === 'restoring') {
    return (
      <p className="life-sentence is-restoring">
        An operator is restoring {node.id} from <strong>{note.from}</strong>: the newest full backup and the incrementals after it, up to LSN{' '}
        {note.upToLsn}. It comes up {note.readyAt} ({note.countdown}) with that data; writes acknowledged after it are not in it.
      </p>
    );
  }
  return (
    <p className="life-sentence is-provisioning">
      The cloud is starting this machine{note.replaces ? ` to replace ${note.replaces}` : ''}
      {note.readyAt ? `; it boots ${note.readyAt} (${note.countdown})` : ''}.
    </p>
  );
}

/** "Watches: api-1, api-3" and "Watched by: lb, orch-2", from the kernel's `watches` lists. */
function WatchLines({ node }: { node: NodeState }) {
  const watchers = useSim((s) => watchersOf(node.id, s.nodeIds, s.nodesById).join(', '));
  const hasWatches = useSim((s) => s.hasWatches);
  const watches = node.watches ?? [];
  if (!hasWatches && watches.length === 0 && watchers === '') return null;
  return (
    <dl className="watch-lines small">
      <div data-watch="watches">
        <dt>Watches</dt>
        <dd>{watches.length > 0 ? watches.join(', ') : 'nobody'}</dd>
      </div>
      <div data-watch="watched-by">
        <dt>Watched by</dt>
        <dd>{watchers || 'nobody'}</dd>
      </div>
    </dl>
  );
}

export function ServiceInspector({ node }: { node: NodeState }) {
  return (
    <>
      <LifeSentence node={node} />
      {node.kind === 'load-balancer' && node.up && <BackendList lb={node} />}
      {(node.kind === 'server' || node.kind === 'load-balancer') && node.view.role !== 'provisioning' && <RequestCounts server={node} />}
      <WatchLines node={node} />
    </>
  );
}
