/**
 * The selected node's action buttons (`Crash`, `Restart`, `Wipe disk`, `Promote`, `Restore…`),
 * each disabled with its reason when it cannot be done now. Shared by the inspector, the presenter
 * view and the embed; every action goes through the worker's `act`, recorded at the simulated time.
 */
import { useState } from 'react';
import type { NodeState } from '../../../sim';
import { offeredActions, reasonLines, useActionContext, type NodeAction } from '../../actions/node-actions';

/** The answers to an action's question ("Restore db-1 from which backup store?"), each a button, and Cancel. */
function ActionQuestion({ node, action, onDone }: { node: NodeState; action: NodeAction; onDone: () => void }) {
  const context = useActionContext();
  if (!action.ask) return null;
  const choices = action.ask.choices(node, context);
  return (
    <div className="action-question" role="group" aria-label={action.ask.question(node)}>
      <p className="small">{action.ask.question(node)}</p>
      {choices.map((choice) => (
        <button
          key={choice.value}
          type="button"
          disabled={choice.unavailable !== null}
          title={choice.unavailable ?? undefined}
          onClick={() => {
            action.perform(node, choice.value);
            onDone();
          }}
        >
          {choice.label}
        </button>
      ))}
      <button type="button" className="quiet" onClick={onDone}>
        Cancel
      </button>
      {choices
        .filter((choice) => choice.unavailable)
        .map((choice) => (
          <p key={choice.value} className="muted small">
            {choice.unavailable}
          </p>
        ))}
    </div>
  );
}

export function NodeActions({ node }: { node: NodeState }) {
  const context = useActionContext();
  const actions = offeredActions(context);
  const [asking, setAsking] = useState<{ node: string; action: NodeAction['id'] } | null>(null);
  const question = asking?.node === node.id ? actions.find((a) => a.id === asking.action && a.unavailable(node, context) === null) : undefined;
  return (
    <div className="node-actions" role="group" aria-label={`Actions for ${node.id}`}>
      {actions.map((action) => {
        const reason = action.unavailable(node, context);
        const reasonId = `${action.id}-reason`;
        return (
          <button
            key={action.id}
            type="button"
            className={action.danger ? 'danger' : ''}
            disabled={reason !== null}
            aria-describedby={reason ? reasonId : undefined}
            aria-expanded={action.ask ? question === action : undefined}
            title={action.key ? `${action.label} (${action.key})` : action.label}
            onClick={() => (action.ask ? setAsking(question === action ? null : { node: node.id, action: action.id }) : action.perform(node))}
          >
            {action.label}
          </button>
        );
      })}
      {question && <ActionQuestion node={node} action={question} onDone={() => setAsking(null)} />}
      {reasonLines(node, actions.map((action) => [action.id, action.unavailable(node, context)] as const)).map(({ id, reason, shown }) => (
        <p key={id} id={`${id}-reason`} className={shown ? 'muted small' : 'visually-hidden'}>
          {reason}
        </p>
      ))}
    </div>
  );
}
