/**
 * Keyboard shortcuts. They call the same commands as the buttons, and stay out of the way of
 * text fields and of keys a focused control already uses.
 */
import { commands } from './store/engine';
import { select, useSim } from './store/sim-store';

export const SHORTCUTS: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['.', 'step to the next event'],
  ['c', 'crash the selected node'],
  ['r', 'restart the selected node'],
  ['w', 'wipe the selected node’s disk'],
  ['h', 'heal all'],
  ['1 … 9', 'select orch-1 … orch-9'],
  ['Esc', 'close the inspector'],
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

function selectedNodeId(): string | null {
  const selection = useSim.getState().selection;
  return selection?.kind === 'node' ? selection.id : null;
}

export function onShortcut(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  const onControl = event.target instanceof HTMLElement && (event.target.tagName === 'BUTTON' || event.target.getAttribute('role') === 'button');
  const node = selectedNodeId();
  const state = useSim.getState();
  if (state.status !== 'running') return;
  const key = event.key;
  if (key === ' ' && !onControl) commands[state.playing ? 'pause' : 'play']();
  else if (key === '.') commands.step();
  else if (key === 'c' && node) commands.act({ do: 'crash', node });
  else if (key === 'r' && node) commands.act({ do: 'restart', node });
  else if (key === 'w' && node) commands.act({ do: 'wipe-disk', node });
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
