/** The selected link: whether it is up, and `Cut link` / `Heal link`. */
import { commands } from '../../store/engine';
import { select, useSim } from '../../store/sim-store';
import { linkState } from '../../graph/LinkEdge';

export function LinkPanel({ a, b }: { a: string; b: string }) {
  const state = useSim((s) => linkState(s.faults, a, b));
  return (
    <section className="panel link-panel" aria-labelledby="link-title">
      <header className="panel-header">
        <h2 id="link-title">
          Link {a} – {b}
        </h2>
        <button type="button" className="close" onClick={() => select(null)} aria-label="Close the link panel">
          ✕
        </button>
      </header>
      <p>
        This link is <strong>{state}</strong>.
        {state === 'partitioned' ? ' A partition separates these nodes; Heal all removes it.' : ''}
      </p>
      <div className="node-actions">
        <button type="button" className="danger" disabled={state === 'cut'} onClick={() => commands.act({ do: 'cut', between: [a, b] })}>
          Cut link
        </button>
        <button type="button" disabled={state !== 'cut'} onClick={() => commands.act({ do: 'heal-link', between: [a, b] })}>
          Heal link
        </button>
      </div>
    </section>
  );
}
