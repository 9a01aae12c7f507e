/**
 * Keyboard shortcuts. They call the same named actions and commands as the buttons, and stay
 * out of the way of text fields and of keys a focused control already uses.
 *
 * Space plays and pauses wherever the focus is, with two exceptions: in a text field (an input
 * that takes text, a textarea, a select, anything contenteditable) it types, and on a control
 * that Space activates natively (a button, a checkbox or radio, a disclosure's summary) it
 * activates that control, as keyboard users expect. Play and Pause themselves are the exception to
 * the exception: there Space toggles, so it is never a dead key after clicking one of them. A
 * graph node is not such a control: Enter selects it, and Space plays or pauses (while the
 * partition tool is picking, Space picks it, like Enter).
 */
import { actionContextOf, performByKey } from './actions/node-actions';
import { LESSON_SHORTCUTS, onLessonKey } from './presenter/keys';
import { commands } from './store/engine';
import { applyPartitionTool, cancelPartitionTool, openPartitionTool, togglePick } from './store/partition-tool';
import { select, useSim } from './store/sim-store';

export const SHORTCUTS: readonly [string, string][] = [
  ['Space', 'play / pause (except in text fields and on other buttons)'],
  ['.', 'step: next message sent, half way or arriving'],
  ['[ / ]', 'previous / next notable event'],
  ['← / →', 'on the Time slider: 100 ms back / on (Shift: 1 s)'],
  ['c', 'crash the selected node'],
  ['r', 'restart the selected node'],
  ['w', 'wipe the selected node’s disk'],
  ['Shift+P', 'promote the selected database replica'],
  ['Shift+F10', 'actions menu of the focused node (or the Menu key)'],
  ['p', 'partition tool: pick one side (a applies it)'],
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

/** Whether Space activates the focused element natively (so the page must leave Space to it). */
function spaceActivates(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || target.hasAttribute('data-play-toggle') || target.hasAttribute('data-node-id')) return false;
  if (target instanceof HTMLInputElement) return ['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return ['BUTTON', 'SUMMARY'].includes(target.tagName) || ['button', 'checkbox', 'radio', 'menuitem', 'switch', 'tab'].includes(target.getAttribute('role') ?? '');
}

function selectedNodeId(): string | null {
  const selection = useSim.getState().selection;
  return selection?.kind === 'node' ? selection.id : null;
}

/** While the partition tool is open, keys pick nodes instead of breaking them. */
function onPickingKey(key: string): boolean {
  if (key === 'Escape') cancelPartitionTool();
  else if (key === 'a') applyPartitionTool();
  else if (/^[1-9]$/.test(key) && useSim.getState().nodesById[`orch-${key}`]) togglePick(`orch-${key}`);
  else return false;
  return true;
}

export function onShortcut(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  // A modal dialog (the strategy comparison, …) owns the keyboard while it is open: nothing may act behind it.
  if (document.querySelector('dialog[open]:modal, [role="dialog"][aria-modal="true"]')) return;
  const state = useSim.getState();
  if (state.status !== 'running' || state.menu) return; // the open menu handles its own keys
  const key = event.key;
  if (state.partitionPick) {
    if (onPickingKey(key)) event.preventDefault();
    return;
  }
  const id = selectedNodeId();
  const node = id ? state.nodesById[id] : undefined;
  if (key === ' ') {
    if (spaceActivates(event.target)) return;
    commands[state.playing ? 'pause' : 'play']();
  } else if (key === '.') commands.step();
  else if (key === '[') commands.previousEvent();
  else if (key === ']') commands.nextEvent();
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
