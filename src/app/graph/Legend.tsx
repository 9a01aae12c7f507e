/** What the shapes mean, for the kinds of node this scenario has; folded away on small screens. */
import { useSim } from '../store/sim-store';
import { MessageGlyph } from './MessageGlyph';
import { watchEdges, WATCH_WORDS, type WatchKind } from './services';
import { WATCH_COLOURS } from './WatchEdge';

interface Family {
  readonly family: string;
  readonly label: string;
  readonly text: string;
}

/** Each message family once: the label its glyph carries, and what it is in words. */
const FAMILIES: Readonly<Record<string, Omit<Family, 'family'>>> = {
  'vote-request': { label: 'RequestVote', text: 'vote request' },
  vote: { label: 'vote yes', text: 'vote (✓ yes / ✗ no)' },
  heartbeat: { label: 'heartbeat', text: 'heartbeat' },
  append: { label: 'append', text: 'log entries' },
  'append-ack': { label: 'ok', text: 'append reply' },
  snapshot: { label: 'snapshot', text: 'snapshot (InstallSnapshot: the log so far, compacted)' },
  wal: { label: 'WAL', text: 'WAL records (replication)' },
  'wal-ack': { label: 'flushed', text: 'WAL position reply' },
  'health-check': { label: 'health check', text: 'health check' },
  'health-reply': { label: 'healthy', text: 'health reply' },
  command: { label: 'command', text: 'command (fence, promote, …)' },
  request: { label: 'request', text: 'client request (load balancer → server)' },
  response: { label: 'response', text: 'response' },
};

const CONSENSUS_FAMILIES = ['vote-request', 'vote', 'heartbeat', 'append', 'append-ack', 'snapshot'];
const DATABASE_FAMILIES = ['wal', 'wal-ack', 'health-check', 'health-reply', 'command'];
const SERVICE_FAMILIES = ['request', 'response', 'health-check', 'health-reply'];

function useFamilies(): readonly Family[] {
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const hasConsensus = useSim((s) => s.nodeIds.some((id) => s.nodesById[id]?.kind === 'orchestrator'));
  const hasServers = useSim((s) => s.nodeIds.some((id) => s.nodesById[id]?.kind === 'load-balancer'));
  const families = new Set([...(hasConsensus || (!hasDatabase && !hasServers) ? CONSENSUS_FAMILIES : []), ...(hasDatabase ? DATABASE_FAMILIES : []), ...(hasServers ? SERVICE_FAMILIES : [])]);
  return [...families].map((family) => ({ family, ...FAMILIES[family]! }));
}

const WATCH_ORDER: readonly WatchKind[] = ['balancer', 'worker', 'leader', 'agent', 'other'];

/** The kinds of watch drawn now, in a fixed order (empty while the watches are hidden). */
function useWatchKinds(): readonly WatchKind[] {
  const kinds = useSim((s) => (s.showWatches ? [...new Set(watchEdges(s.nodeIds, s.nodesById).map((e) => e.kind))].sort().join(' ') : ''));
  return WATCH_ORDER.filter((k) => kinds.split(' ').includes(k));
}

function WatchSwatch({ kind }: { kind: WatchKind }) {
  const colour = WATCH_COLOURS[kind];
  return (
    <svg width="28" height="12" viewBox="0 0 28 12" aria-hidden="true">
      <path className="watch" d="M 1 6 H 21" style={{ stroke: colour }} />
      <path d="M 20 1.5 L 27 6 L 20 10.5 Z" fill={colour} />
    </svg>
  );
}

export function Legend() {
  const families = useFamilies();
  const watchKinds = useWatchKinds();
  return (
    <details className="legend">
      <summary>Legend</summary>
      <ul>
        {families.map((f) => (
          <li key={f.family}>
            <svg width="20" height="20" viewBox="-10 -10 20 20" aria-hidden="true">
              <MessageGlyph message={{ id: 0, from: 'a', to: 'b', look: { family: f.family as never, label: f.label }, sentAtMs: 0, endAtMs: 1, dropped: null }} progress={0.5} x={0} y={0} />
            </svg>
            {f.text}
          </li>
        ))}
        <li>
          <svg width="20" height="20" viewBox="-10 -10 20 20" aria-hidden="true">
            <MessageGlyph message={{ id: 0, from: 'a', to: 'b', look: { family: 'heartbeat', label: 'lost' }, sentAtMs: 0, endAtMs: 1, dropped: 'cut' }} progress={0.9} x={0} y={0} />
          </svg>
          lost message
        </li>
        <li className="legend-note">Messages on short links are drawn slower than real, so that you can see them travel; the simulation delivers them on time.</li>
        {watchKinds.map((kind) => (
          <li key={kind} data-watch-kind={kind}>
            <WatchSwatch kind={kind} />
            {WATCH_WORDS[kind]}
          </li>
        ))}
      </ul>
    </details>
  );
}
