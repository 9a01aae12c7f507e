/**
 * The context menu on a node (right click, the ContextMenu key or Shift+F10): the same named
 * actions as the inspector's buttons. Arrow keys move, Enter runs, Esc or Tab closes and puts
 * focus back on the node.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { NODE_ACTIONS, useActionContext, type NodeAction } from '../actions/node-actions';
import { select, useSim } from '../store/sim-store';

export function openNodeMenu(id: string, x: number, y: number): void {
  select({ kind: 'node', id });
  useSim.setState({ menu: { id, x, y } });
}

export function openNodeMenuByKeyboard(id: string, element: HTMLElement): void {
  const box = element.getBoundingClientRect();
  openNodeMenu(id, box.left + box.width / 2, box.bottom);
}

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

  useEffect(() => {
    if (!menu) return;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) closeMenu(false);
    };
    addEventListener('pointerdown', onPointerDown, true);
    return () => removeEventListener('pointerdown', onPointerDown, true);
  }, [menu]);

  if (!menu || !node) return null;
  const run = (action: NodeAction) => {
    if (action.unavailable(node, context) !== null) return;
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
        {node.id}
      </p>
      {NODE_ACTIONS.map((action) => {
        const reason = action.unavailable(node, context);
        const reasonId = `menu-reason-${action.id}`;
        return (
          <button
            key={action.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            aria-label={action.label}
            className={action.danger ? 'danger' : ''}
            aria-disabled={reason !== null}
            aria-describedby={reason ? reasonId : undefined}
            onClick={() => run(action)}
          >
            <span className="node-menu-label">{action.label}</span>
            {action.key && <kbd aria-hidden="true">{action.key}</kbd>}
            {reason && (
              <span id={reasonId} className="node-menu-reason">
                {reason}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
