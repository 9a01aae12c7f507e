/**
 * The selected node: its state, term, vote, commit index and last log entries, what it watches,
 * and the actions that break it (or restore it). Every action goes through the worker's `act`,
 * recorded at the simulated time.
 */
import type { NodeState } from '../../../sim';
import { commands } from '../../store/engine';
import { select, useSim } from '../../store/sim-store';
import { linkState } from '../../graph/LinkEdge';
import { linkPeers } from '../../graph/links';
import { roleLook } from '../../graph/roles';
import { DatabaseInspector } from './DatabaseInspector';
import { AgentWatchPanel } from '../../failover/AgentWatchPanel';
import { ColumnHeads } from './ColumnHeads';
import { DetailList } from './DetailList';
import { ServiceInspector, toldByServiceParts } from './ServiceInspector';
import { NodeActions } from '../node-menu/NodeActions';
import { StatechartView } from './StatechartView';

// The buttons live in a module of their own so that the embed can show them without the panels here.
export { NodeActions };

const AGENT_KEYS = new Set(['watchedPrimary', 'watchedEpoch', 'failover']);

function DetailTable({ node }: { node: NodeState }) {
  const look = roleLook(node);
  // Servers and the load balancer have no terms: a row of dashes would suggest one is missing.
  const termless = node.view.term === null && (node.kind === 'server' || node.kind === 'load-balancer');
  const rows: [string, string][] = [
    ['State', look.word],
    ...(termless ? [] : [['Term', node.view.term === null ? '—' : String(node.view.term)] as [string, string]]),
    ...Object.entries(node.view.detail)
      // The failover agent's own panel and the service parts tell these in full.
      .filter(([key]) => !(node.watch && AGENT_KEYS.has(key)) && !toldByServiceParts(node, key))
      .map(([key, value]): [string, string] => [key, value === null ? '—' : String(value)]),
  ];
  return <DetailList rows={rows} />;
}

function LogTable({ node }: { node: NodeState }) {
  const log = node.view.log;
  if (!log) return null;
  const logLength = typeof node.view.detail.logLength === 'number' ? node.view.detail.logLength : log.length;
  const firstIndex = logLength - log.length + 1;
  const commitIndex = node.view.commitIndex ?? 0;
  const snapshot = node.view.snapshot;
  if (log.length === 0 && !snapshot) return <p className="muted">The log is empty.</p>;
  return (
    <table className="log-table">
      <caption>
        Last log entries (commit index {commitIndex}
        {snapshot ? `; snapshot at index ${snapshot.index}` : ''})
      </caption>
      <ColumnHeads columns={['#', 'term', 'command', 'committed']} />
      <tbody>
        {snapshot && firstIndex === snapshot.index + 1 && (
          // The log starts right after its snapshot: the compacted prefix, as one row.
          <tr className="is-committed is-snapshot">
            <td>≤ {snapshot.index}</td>
            <td>{snapshot.term}</td>
            <td>snapshot: {snapshot.kept} entr{snapshot.kept === 1 ? 'y' : 'ies'} kept for the agent, the rest compacted</td>
            <td>yes</td>
          </tr>
        )}
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
  const peers = linkPeers(node.id, nodeIds, (id) => useSim.getState().nodesById[id]?.kind);
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
      <ServiceInspector node={node} />
      {node.kind === 'database' ? (
        <DatabaseInspector node={node} />
      ) : (
        <>
          <DetailTable node={node} />
          <AgentWatchPanel node={node} />
          <LogTable node={node} />
        </>
      )}
      <StatechartView node={node} />
      <LinksOf node={node} />
    </section>
  );
}
