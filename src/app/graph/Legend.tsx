/** What the shapes mean, for the kinds of node this scenario has; folded away on small screens. */
import { useSim } from '../store/sim-store';
import { MessageGlyph } from './MessageGlyph';

interface Family {
  readonly family: string;
  readonly label: string;
  readonly text: string;
}

const CONSENSUS_FAMILIES: readonly Family[] = [
  { family: 'vote-request', label: 'RequestVote', text: 'vote request' },
  { family: 'vote', label: 'vote yes', text: 'vote (✓ yes / ✗ no)' },
  { family: 'heartbeat', label: 'heartbeat', text: 'heartbeat' },
  { family: 'append', label: 'append', text: 'log entries' },
  { family: 'append-ack', label: 'ok', text: 'append reply' },
];

const DATABASE_FAMILIES: readonly Family[] = [
  { family: 'wal', label: 'WAL', text: 'WAL records (replication)' },
  { family: 'wal-ack', label: 'flushed', text: 'WAL position reply' },
  { family: 'health-check', label: 'health check', text: 'health check' },
  { family: 'health-reply', label: 'healthy', text: 'health reply' },
  { family: 'command', label: 'command', text: 'command (fence, promote, …)' },
];

function useFamilies(): readonly Family[] {
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const hasConsensus = useSim((s) => s.nodeIds.some((id) => s.nodesById[id]?.kind === 'orchestrator'));
  return [...(hasConsensus || !hasDatabase ? CONSENSUS_FAMILIES : []), ...(hasDatabase ? DATABASE_FAMILIES : [])];
}

export function Legend() {
  const families = useFamilies();
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
      </ul>
    </details>
  );
}
