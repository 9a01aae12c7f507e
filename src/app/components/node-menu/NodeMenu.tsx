/**
 * The context menu on a node (right click, the ContextMenu key or Shift+F10): the same named
 * actions as the inspector's buttons. Arrow keys move, Enter runs, Esc or Tab closes and puts
 * focus back on the node. An action that asks (`Restore…`) turns the menu into its answers;
 * Esc or Back to actions returns to them.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { NodeState } from '../../../sim';
import { offeredActions, useActionContext, type NodeAction } from '../../actions/node-actions';
import { useSim } from '../../store/sim-store';

function nodeElement(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(id)}"]`);
}

function closeMenu(refocus: boolean): void {
  const menu = useSim.getState().menu;
  useSim.setState({ menu: null });
  if (menu && refocus) nodeElement(menu.id)?.focus();
}

/** Keeps the menu on screen: it opens to the left or upwards when there is no room. */
function usePlacement(menu: { x: number; y: number } | null, ref: RefObject<HTMLDivElement | null>) {
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!menu || !element) return setPlace(null);
    const { width, height } = element.getBoundingClientRect();
    const left = Math.max(4, Math.min(menu.x, innerWidth - width - 4));
    const top = menu.y + height > innerHeight - 4 ? Math.max(4, menu.y - height) : menu.y;
    setPlace({ left, top });
  }, [menu, ref]);
  return place;
}

export function NodeMenu() {
  const menu = useSim((s) => s.menu);
  const node = useSim((s) => (s.menu ? s.nodesById[s.menu.id] : undefined));
  const context = useActionContext();
  const ref = useRef<HTMLDivElement>(null);
  const place = usePlacement(menu, ref);
  /** The action whose question the menu shows instead of the action list (`Restore…`: from which store?). */
  const [question, setQuestion] = useState<{ readonly menu: typeof menu; readonly action: NodeAction } | null>(null);
  // A question belongs to the menu it was asked in; a menu opened anew starts at the action list.
  const asking = question && question.menu === menu ? question.action : null;
  const setAsking = (action: NodeAction | null) => setQuestion(action ? { menu, action } : null);

  useEffect(() => {
    if (!menu) return;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [menu, asking]);

  useEffect(() => {
    if (!menu) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) closeMenu(false);
    };
    addEventListener('pointerdown', onPointerDown, true);
    return () => removeEventListener('pointerdown', onPointerDown, true);
  }, [menu]);

  if (!menu || !node) return null;
  const run = (action: NodeAction) => {
    if (action.unavailable(node, context) !== null) return;
    if (action.ask) {
      setAsking(action);
      return;
    }
    action.perform(node);
    closeMenu(true);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const moveTo = (index: number) => items[(index + items.length) % items.length]?.focus();
    if (event.key === 'ArrowDown') moveTo(at + 1);
    else if (event.key === 'ArrowUp') moveTo(at - 1);
    else if (event.key === 'Home') moveTo(0);
    else if (event.key === 'End') moveTo(items.length - 1);
    else if (event.key === 'Escape' && asking) setAsking(null);
    else if (event.key === 'Escape' || event.key === 'Tab') closeMenu(true);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <div
      ref={ref}
      className="node-menu"
      role="menu"
      aria-label={`Actions for ${node.id}`}
      style={place ? { left: place.left, top: place.top } : { left: menu.x, top: menu.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
    >
      <p className="node-menu-title" aria-hidden="true">
        {asking?.ask ? asking.ask.question(node) : node.id}
      </p>
      {asking ? <MenuChoices node={node} action={asking} onBack={() => setAsking(null)} /> : <MenuActions node={node} run={run} />}
    </div>
  );
}

function MenuActions({ node, run }: { node: NodeState; run: (action: NodeAction) => void }) {
  const context = useActionContext();
  return (
    <>
      {offeredActions(context).map((action) => {
        const reason = action.unavailable(node, context);
        const reasonId = `menu-reason-${action.id}`;
        return <MenuItem key={action.id} label={action.label} keyHint={action.key} danger={action.danger} reason={reason} reasonId={reasonId} onClick={() => run(action)} />;
      })}
    </>
  );
}

/** One item of the menu: its label, its key, and why it cannot be used now (read out with it). */
function MenuItem({ label, keyHint, danger, reason, reasonId, onClick }: { label: string; keyHint?: string | null | undefined; danger?: boolean | undefined; reason: string | null; reasonId: string; onClick: () => void }) {
  return (
    <button type="button" role="menuitem" tabIndex={-1} aria-label={label} className={danger ? 'danger' : ''} aria-disabled={reason !== null} aria-describedby={reason ? reasonId : undefined} onClick={onClick}>
      <span className="node-menu-label">{label}</span>
      {keyHint && <kbd aria-hidden="true">{keyHint}</kbd>}
      {reason && (
        <span id={reasonId} className="node-menu-reason">
          {reason}
        </span>
      )}
    </button>
  );
}

/** The second step of an action that asks: one item per answer, and Back to the action list. */
function MenuChoices({ node, action, onBack }: { node: NodeState; action: NodeAction; onBack: () => void }) {
  const context = useActionContext();
  const choices = action.ask?.choices(node, context) ?? [];
  return (
    <>
      {choices.map((choice) => {
        const reasonId = `menu-reason-${action.id}-${choice.value}`;
        return (
          <MenuItem
            key={choice.value}
            label={choice.label}
            reason={choice.unavailable}
            reasonId={reasonId}
            onClick={() => {
              if (choice.unavailable !== null) return;
              action.perform(node, choice.value);
              closeMenu(true);
            }}
          />
        );
      })}
      <button type="button" role="menuitem" tabIndex={-1} aria-label="Back to actions" onClick={onBack}>
        <span className="node-menu-label">← Back to actions</span>
      </button>
    </>
  );
}
