/**
 * The inspector's part for a database node: what it is doing in a sentence, its epoch and WAL
 * positions, and on a primary a table of its standbys like PostgreSQL's `pg_stat_replication`.
 */
import { formatLsn, type NodeState, type ReplicationRow } from '../../../sim';
import { lagFromPrimary, lagWords } from '../../graph/DatabaseNode';
import { hasTerm, roleLook } from '../../graph/roles';
import { useSim } from '../../store/sim-store';
import { WatchedBy } from '../../failover/AgentWatchPanel';
import { ColumnHeads } from './ColumnHeads';
import { DetailList } from './DetailList';

function fact(node: NodeState, key: string): string {
  const value = node.view.detail[key];
  if (value === undefined || value === null) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function Facts({ node }: { node: NodeState }) {
  const lagBytes = useSim((s) => lagFromPrimary(s.nodesById, node.id));
  const rows: [string, string][] = [
    ['Role', roleLook(node).word],
    ['Epoch', hasTerm(node) ? String(node.view.term) : '—'],
    ['Written (LSN)', fact(node, 'lsn')],
    ['Flushed', fact(node, 'flushLsn')],
    ['Replayed', fact(node, 'replayLsn')],
    ['Upstream', fact(node, 'upstream')],
    ['Takes writes', node.up ? fact(node, 'writable') : 'no'],
  ];
  if (node.up && node.view.detail.durability !== undefined) rows.push(['Durability', fact(node, 'durability')]);
  if (lagBytes !== null) rows.push(['Behind the primary', lagWords(lagBytes)]);
  return <DetailList rows={rows} />;
}

function ReplicationTable({ node, rows }: { node: NodeState; rows: readonly ReplicationRow[] }) {
  if (rows.length === 0) return <p className="muted small">No standby is streaming from {node.id}.</p>;
  return (
    <div className="table-scroll">
      <table className="log-table replication-table">
        <caption>Replication from {node.id} (like pg_stat_replication)</caption>
        <ColumnHeads columns={['standby', 'mode', 'state', 'sent', 'write', 'flush', 'replay', 'lag (B)']} />
        <tbody>
          {rows.map((row) => (
            <tr key={row.standby} data-standby={row.standby} className={row.lagBytes > 0 ? 'is-behind' : ''}>
              <th scope="row">{row.standby}</th>
              <td>{row.mode}</td>
              <td>{row.state}</td>
              <td>{formatLsn(row.sentLsn)}</td>
              <td>{formatLsn(row.writeLsn)}</td>
              <td>{formatLsn(row.flushLsn)}</td>
              <td>{formatLsn(row.replayLsn)}</td>
              <td>{row.lagBytes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DatabaseInspector({ node }: { node: NodeState }) {
  const status = fact(node, 'status');
  return (
    <>
      <p className="db-status">
        {node.up ? status : `${node.id} is down${node.view.detail.diskLost === true ? ' and its disk is lost' : ''}. Its last status: ${status}.`}
      </p>
      {!node.up && <p className="muted small">The positions below are the last it had.</p>}
      <Facts node={node} />
      <WatchedBy id={node.id} />
      {node.up && node.view.role === 'primary' && <ReplicationTable node={node} rows={node.view.replication ?? []} />}
    </>
  );
}
