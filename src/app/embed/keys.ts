/**
 * The embed's keyboard, while focus is inside it: the playground's playback keys and the selected
 * node's action keys. The page's other shortcuts (partition tool, heal all, picking by number)
 * open tools the embed does not show, so they stay off here.
 */
import { actionContextOf, performByKey } from '../actions/node-actions';
import { commands } from '../store/engine';
import { select, useSim } from '../store/sim-store';

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function onEmbedKey(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
  const state = useSim.getState();
  if (state.status !== 'running' || state.menu) return; // the open menu handles its own keys
  const onControl = event.target instanceof HTMLElement && (event.target.tagName === 'BUTTON' || event.target.tagName === 'A' || event.target.getAttribute('role') === 'button');
  const selection = state.selection;
  const node = selection?.kind === 'node' ? state.nodesById[selection.id] : undefined;
  const key = event.key;
  if (key === ' ' && !onControl) commands[state.playing ? 'pause' : 'play']();
  else if (key === '.') commands.step();
  else if (node && performByKey(key, node, actionContextOf(state))) {
    /* the selected node's action */
  } else if (key === 'Escape' && selection) select(null);
  else return;
  event.preventDefault();
}
