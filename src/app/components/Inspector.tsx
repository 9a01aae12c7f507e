/**
 * The selected node: its state, term, vote, commit index and last log entries, and the actions
 * that break it. Every action goes through the worker's `act`, recorded at the simulated time.
 */
import type { NodeState } from '../../sim/kernel/simulation';
import { commands } from '../store/engine';
import { select, useSim } from '../store/sim-store';
import { linkState } from '../graph/LinkEdge';
import { roleLook } from '../graph/roles';

function DetailTable({ node }: { node: NodeState }) {
  const look = roleLook(node);
  const rows: [string, string][] = [
    ['State', look.word],
    ['Term', node.view.term === null ? '—' : String(node.view.term)],
    ...Object.entries(node.view.detail).map(([key, value]): [string, string] => [key, value === null ? '—' : String(value)]),
  ];
  return (
    <dl className="detail-table">
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LogTable({ node }: { node: NodeState }) {
  const log = node.view.log;
  if (!log) return null;
  const logLength = typeof node.view.detail.logLength === 'number' ? node.view.detail.logLength : log.length;
  const firstIndex = logLength - log.length + 1;
  const commitIndex = node.view.commitIndex ?? 0;
  if (log.length === 0) return <p className="muted">The log is empty.</p>;
  return (
    <table className="log-table">
      <caption>Last log entries (commit index {commitIndex})</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">term</th>
          <th scope="col">command</th>
          <th scope="col">committed</th>
        </tr>
      </thead>
      <tbody>
        {log.map((entry, i) => {
          const index = firstIndex + i;
          return (
            <tr key={index} className={index <= commitIndex ? 'is-committed' : ''}>
              <td>{index}</td>
              <td>{entry.term}</td>
              <td>{entry.cmd}</td>
              <td>{index <= commitIndex ? 'yes' : 'no'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function LinksOf({ node }: { node: NodeState }) {
  const faults = useSim((s) => s.faults);
  const nodeIds = useSim((s) => s.nodeIds);
  const peers = nodeIds.filter((id) => id !== node.id && useSim.getState().nodesById[id]?.kind === node.kind);
  if (peers.length === 0) return null;
  return (
    <div className="links-of">
      <h3>Links</h3>
      <ul>
        {peers.map((peer) => {
          const state = linkState(faults, node.id, peer);
          return (
            <li key={peer}>
              <span>
                {node.id} – {peer}: <strong>{state}</strong>
              </span>
              {state === 'cut' ? (
                <button type="button" onClick={() => commands.act({ do: 'heal-link', between: [node.id, peer] })}>
                  Heal link to {peer}
                </button>
              ) : (
                <button type="button" onClick={() => commands.act({ do: 'cut', between: [node.id, peer] })}>
                  Cut link to {peer}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function NodeActions({ node }: { node: NodeState }) {
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const promoteReason = hasDatabase ? 'Only a database replica can be promoted.' : 'There is no database in this scenario; Promote is for database replicas.';
  return (
    <div className="node-actions" role="group" aria-label={`Actions for ${node.id}`}>
      <button type="button" className="danger" onClick={() => commands.act({ do: 'crash', node: node.id })} disabled={!node.up} title="Crash (c)">
        Crash
      </button>
      <button type="button" onClick={() => commands.act({ do: 'restart', node: node.id })} disabled={node.up} title="Restart (r)">
        Restart
      </button>
      <button type="button" className="danger" onClick={() => commands.act({ do: 'wipe-disk', node: node.id })} title="Wipe disk (w)">
        Wipe disk
      </button>
      <button type="button" disabled aria-describedby="promote-reason">
        Promote
      </button>
      <p id="promote-reason" className="muted small">
        {promoteReason}
      </p>
    </div>
  );
}

export function Inspector({ id }: { id: string }) {
  const node = useSim((s) => s.nodesById[id]);
  if (!node) return null;
  return (
    <section className="panel inspector" aria-labelledby="inspector-title">
      <header className="panel-header">
        <h2 id="inspector-title">{node.id}</h2>
        <button type="button" className="close" onClick={() => select(null)} aria-label="Close the inspector">
          ✕
        </button>
      </header>
      <NodeActions node={node} />
      <DetailTable node={node} />
      <LogTable node={node} />
      <LinksOf node={node} />
    </section>
  );
}
