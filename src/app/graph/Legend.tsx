/** What the shapes mean; folded away on small screens. */
import { MessageGlyph } from './MessageGlyph';

const FAMILIES: readonly { family: string; label: string; text: string }[] = [
  { family: 'vote-request', label: 'RequestVote', text: 'vote request' },
  { family: 'vote', label: 'vote yes', text: 'vote (✓ yes / ✗ no)' },
  { family: 'heartbeat', label: 'heartbeat', text: 'heartbeat' },
  { family: 'append', label: 'append', text: 'log entries' },
  { family: 'append-ack', label: 'ok', text: 'append reply' },
];

export function Legend() {
  return (
    <details className="legend">
      <summary>Legend</summary>
      <ul>
        {FAMILIES.map((f) => (
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
