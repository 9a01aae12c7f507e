/**
 * Keyboard shortcuts: the keys of the page's command registry (actions/commands.ts), kept out of
 * the way of text fields and of keys a focused control already uses. The registry says which
 * command a key runs and when; this file only decides whether the page may take the key at all.
 *
 * Space plays and pauses wherever the focus is, with two exceptions: in a text field (an input
 * that takes text, a textarea, a select, anything contenteditable) it types, and on a control
 * that Space activates natively (a button, a checkbox or radio, a disclosure's summary) it
 * activates that control, as keyboard users expect. Play and Pause themselves are the exception to
 * the exception: there Space toggles, so it is never a dead key after clicking one of them. A
 * graph node is not such a control: Enter selects it, and Space plays or pauses (while the
 * partition tool is picking, Space picks it, like Enter).
 */
import { helpRows, pageView, runKey } from './actions/commands';
import { useSim } from './store/sim-store';

/** The keyboard-help table: [keys, what they do], read from the registry. */
export const SHORTCUTS: readonly [string, string][] = helpRows().map((row) => [row.keys, row.words]);

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

export function onShortcut(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  // A modal dialog (the strategy comparison, …) owns the keyboard while it is open: nothing may act behind it.
  if (document.querySelector('dialog[open]:modal, [role="dialog"][aria-modal="true"]')) return;
  const state = useSim.getState();
  if (state.status !== 'running' || state.menu) return; // the open menu handles its own keys
  if (event.key === ' ' && state.partitionPick === null && spaceActivates(event.target)) return;
  if (runKey(event.key, pageView())) event.preventDefault();
}
