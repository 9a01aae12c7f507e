/** The embed's panel for what the reader selected: a node's actions, or a link's state. */
import { LinkPanel } from '../components/inspector/LinkPanel';
import { NodeActions } from '../components/node-menu/NodeActions';
import { roleLook } from '../graph/roles';
import { select, useSim } from '../store/sim-store';

function NodePanel({ id }: { id: string }) {
  const node = useSim((s) => s.nodesById[id]);
  if (!node) return null;
  return (
    <section className="panel embed-selected" aria-labelledby="embed-selected-title">
      <header className="panel-header">
        <h2 id="embed-selected-title">
          {node.id} <span className="muted">· {roleLook(node).word}</span>
        </h2>
        <button type="button" className="close" onClick={() => select(null)} aria-label="Close the node's actions">
          ✕
        </button>
      </header>
      <NodeActions node={node} />
    </section>
  );
}

export function SelectedPanel() {
  const selection = useSim((s) => s.selection);
  if (selection?.kind === 'node') return <NodePanel id={selection.id} />;
  if (selection?.kind === 'link') return <LinkPanel a={selection.a} b={selection.b} />;
  return null;
}
