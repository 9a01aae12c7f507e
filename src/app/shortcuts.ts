/**
 * Keyboard shortcuts. They call the same named actions and commands as the buttons, and stay
 * out of the way of text fields and of keys a focused control already uses.
 */
import { actionContextOf, performByKey } from './actions/node-actions';
import { LESSON_SHORTCUTS, onLessonKey } from './presenter/keys';
import { commands } from './store/engine';
import { cancelPartitionTool, openPartitionTool, togglePick } from './store/partition-tool';
import { select, useSim } from './store/sim-store';

export const SHORTCUTS: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['.', 'step to the next event'],
  ['c', 'crash the selected node'],
  ['r', 'restart the selected node'],
  ['w', 'wipe the selected node’s disk'],
  ['Shift+P', 'promote the selected database replica'],
  ['Shift+F10', 'actions menu of the focused node (or the Menu key)'],
  ['p', 'partition tool: pick one side'],
  ['h', 'heal all'],
  ['1 … 9', 'select orch-1 … orch-9 (pick them in the partition tool)'],
  ['Esc', 'close the inspector, menu or partition tool (leave presenter mode)'],
  ...LESSON_SHORTCUTS,
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // A slider takes only arrows and Home/End: after dragging Speed, the letter keys still reach the page.
  if (target instanceof HTMLInputElement && target.type === 'range') return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

function selectedNodeId(): string | null {
  const selection = useSim.getState().selection;
  return selection?.kind === 'node' ? selection.id : null;
}

/** While the partition tool is open, keys pick nodes instead of breaking them. */
function onPickingKey(key: string): boolean {
  if (key === 'Escape') cancelPartitionTool();
  else if (/^[1-9]$/.test(key) && useSim.getState().nodesById[`orch-${key}`]) togglePick(`orch-${key}`);
  else return false;
  return true;
}

export function onShortcut(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  // A modal dialog (the strategy comparison, …) owns the keyboard while it is open: nothing may act behind it.
  if (document.querySelector('dialog[open]:modal, [role="dialog"][aria-modal="true"]')) return;
  const onControl = event.target instanceof HTMLElement && (event.target.tagName === 'BUTTON' || event.target.getAttribute('role') === 'button');
  const state = useSim.getState();
  if (state.status !== 'running' || state.menu) return; // the open menu handles its own keys
  const key = event.key;
  if (state.partitionPick) {
    if (onPickingKey(key)) event.preventDefault();
    return;
  }
  const id = selectedNodeId();
  const node = id ? state.nodesById[id] : undefined;
  if (key === ' ' && !onControl) commands[state.playing ? 'pause' : 'play']();
  else if (key === '.') commands.step();
  else if (node && performByKey(key, node, actionContextOf(state))) {
    /* a node action's key */
  } else if (onLessonKey(key)) {
    /* a lesson or presenter key */
  } else if (key === 'p') openPartitionTool();
  else if (key === 'h') commands.act({ do: 'heal' });
  else if (/^[1-9]$/.test(key) && state.nodesById[`orch-${key}`]) selectAndFocus(`orch-${key}`);
  else if (key === 'Escape') select(null);
  else return;
  event.preventDefault();
}

function selectAndFocus(id: string): void {
  select({ kind: 'node', id });
  document.querySelector<HTMLElement>(`[data-node-id="${id}"]`)?.focus();
}
