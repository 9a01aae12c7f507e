/**
 * The page's commands, in one registry: what each is called, which key runs it, when it can run
 * and what it does. The toolbar and playback buttons take their labels and titles from here, the
 * keyboard handler (shortcuts.ts) runs the first available command bound to the key pressed, the
 * keyboard-help table and presenter mode's key legend list them, and the node commands (the
 * inspector's buttons and the node menu) are the entries of node-actions.ts seen as commands.
 *
 * A command is read against a `PageView`, a plain snapshot of what the page shows (built from the
 * stores by `pageView()`), so the rules can be tested without a browser.
 *
 * Order matters twice: the keyboard runs the first available command bound to a key (Esc leaves
 * presenter mode before it closes the inspector), and the help table lists rows in this order.
 */
import type { NodeState } from '../../sim';
import { hasLesson, nextStep, previousStep, selectStepNode, useLesson } from '../lessons/lesson-store';
import { leavePresenter, togglePresenter, usePresenter } from '../presenter/presenter-store';
import { commands as engine } from '../store/engine';
import { applyPartitionTool, cancelPartitionTool, openPartitionTool, togglePick } from '../store/partition-tool';
import { select, useSim } from '../store/sim-store';
import { actionContextOf, offeredActions, NODE_ACTIONS, type ActionContext, type NodeAction } from './node-actions';

/** What the commands need to know about the page now. */
export interface PageView {
  /** The simulation has started and the page answers commands. */
  readonly running: boolean;
  readonly playing: boolean;
  /** The partition tool is open: keys pick nodes instead of breaking them. */
  readonly picking: boolean;
  readonly presenting: boolean;
  readonly lesson: boolean;
  /** The node the current lesson step points at, if any. */
  readonly lessonTarget: string | null;
  readonly selected: NodeState | null;
  /** A node or a link is selected (its panel is open). */
  readonly anySelection: boolean;
  readonly nodeIds: readonly string[];
  readonly actions: ActionContext;
}

/** A row of the keyboard-help table, or of presenter mode's legend. */
export interface KeyRow {
  readonly keys: string;
  readonly words: string;
}

export type PageCommandId =
  | 'play-pause'
  | 'play'
  | 'pause'
  | 'step'
  | 'previous-event'
  | 'next-event'
  | 'time'
  | NodeAction['id']
  | 'node-menu'
  | 'partition'
  | 'pick-apply'
  | 'pick-node'
  | 'pick-cancel'
  | 'heal-all'
  | 'select-orch'
  | 'leave-presenter'
  | 'close'
  | 'next-step'
  | 'previous-step'
  | 'select-step-node'
  | 'presenter'
  | 'copy-link'
  | 'download-report'
  | 'download-trace';

export interface PageCommand {
  readonly id: PageCommandId;
  /** The button's text and accessible name (or the words of the command where it has no button). */
  readonly label: string;
  /** The `KeyboardEvent.key` values the page-wide keyboard handler runs it on; empty for none. */
  readonly keys: readonly string[];
  /** How the help table writes the key (`Shift+P`, `1 … 9`); defaults to the first key. */
  readonly keyName?: string;
  /** The help table's row; absent when another command's row covers it or it has no key. */
  readonly help?: KeyRow;
  /** Presenter mode's legend entry, if it has one. */
  readonly legend?: KeyRow;
  /** A button's tooltip, without the key (the key is added: `Heal … (h)`). */
  readonly title?: string;
  /**
   * `page`: runs from the page-wide keyboard handler (and buttons); `picking`: only while the
   * partition tool is picking; `control`: its key belongs to a control (the focused node, the
   * Time slider), so the handler leaves it alone and the table only documents it.
   */
  readonly scope: 'page' | 'picking' | 'control';
  /** Why it cannot run now, or null when it can. */
  readonly unavailable: (view: PageView, key?: string) => string | null;
  readonly perform: (view: PageView, key?: string) => void;
}

const NOT_RUNNING = 'The simulation is not running yet.';
const orchOf = (key: string | undefined) => (key && /^[1-9]$/.test(key) ? `orch-${key}` : null);
const always = () => null;
const whenRunning = (view: PageView) => (view.running ? null : NOT_RUNNING);

/** Makes the link to this run and copies it; says what happened, for the button's note. */
export async function copyLink(): Promise<string> {
  const url = await engine.makeLink();
  try {
    await navigator.clipboard.writeText(url);
    return 'Link copied: it replays this run, your clicks included, and opens paused at this moment.';
  } catch {
    return 'Copying is blocked here; the address bar now holds the link.';
  }
}

function selectAndFocus(id: string): void {
  select({ kind: 'node', id });
  document.querySelector<HTMLElement>(`[data-node-id="${id}"]`)?.focus();
}

/** A command that works once the simulation runs, reached by a button and maybe a key. */
function whileRunning(id: PageCommandId, label: string, keys: readonly string[], title: string, perform: () => void, more: Partial<PageCommand> = {}): PageCommand {
  return { id, label, keys, title, scope: 'page', unavailable: whenRunning, perform, ...more };
}

/** A node action as a command on the selected node. */
function nodeCommand(action: NodeAction): PageCommand {
  return {
    id: action.id,
    label: action.label,
    keys: action.key ? [action.key] : [],
    ...(action.keyName ? { keyName: action.keyName } : {}),
    ...(action.help && action.key ? { help: { keys: action.keyName ?? action.key, words: action.help } } : {}),
    ...(action.legend && action.key ? { legend: { keys: action.key, words: action.legend } } : {}),
    scope: 'page',
    unavailable: (view) => {
      if (!view.selected) return 'Select a node first.';
      if (!offeredActions(view.actions).includes(action)) return `This scenario does not offer ${action.label}.`;
      return action.unavailable(view.selected, view.actions);
    },
    perform: (view) => {
      // An action that asks first (Restore…) is answered in the inspector or the node menu, not by a key.
      if (view.selected && !action.ask) action.perform(view.selected);
    },
  };
}

export const PAGE_COMMANDS: readonly PageCommand[] = [
  {
    id: 'play-pause',
    label: 'Play / pause',
    keys: [' '],
    keyName: 'Space',
    help: { keys: 'Space', words: 'play / pause (except in text fields and on other buttons)' },
    legend: { keys: 'Space', words: 'play / pause' },
    scope: 'page',
    unavailable: whenRunning,
    perform: (view) => (view.playing ? engine.pause() : engine.play()),
  },
  whileRunning('play', 'Play', [], 'Play', () => engine.play(), { keyName: 'Space' }),
  whileRunning('pause', 'Pause', [], 'Pause', () => engine.pause(), { keyName: 'Space' }),
  whileRunning('step', 'Step', ['.'], 'Step to the next message sent, half way or arriving', () => engine.step(), {
    help: { keys: '.', words: 'step: next message sent, half way or arriving' },
    legend: { keys: '.', words: 'step' },
  }),
  whileRunning('previous-event', 'Go back to the previous event', ['['], 'Go back to the previous notable event', () => engine.previousEvent(), {
    help: { keys: '[ / ]', words: 'previous / next notable event' },
  }),
  whileRunning('next-event', 'Go on to the following event', [']'], 'Go on to the next notable event', () => engine.nextEvent()),
  {
    id: 'time',
    label: 'Time',
    keys: ['ArrowLeft', 'ArrowRight'],
    help: { keys: '← / →', words: 'on the Time slider: 100 ms back / on (Shift: 1 s)' },
    scope: 'control',
    unavailable: whenRunning,
    perform: () => document.querySelector<HTMLElement>('input[aria-label="Time"]')?.focus(),
  },
  ...NODE_ACTIONS.map(nodeCommand),
  {
    id: 'node-menu',
    label: 'Actions menu',
    keys: ['ContextMenu', 'F10'],
    keyName: 'Shift+F10',
    help: { keys: 'Shift+F10', words: 'actions menu of the focused node (or the Menu key)' },
    scope: 'control',
    unavailable: (view) => (view.selected ? null : 'Select a node first.'),
    perform: () => {
      /* The focused node opens its own menu (NodeShell): the menu opens where the node is. */
    },
  },
  {
    id: 'partition',
    label: 'Partition…',
    keys: ['p'],
    help: { keys: 'p', words: 'partition tool: pick one side (a applies it)' },
    title: 'Split the network in two',
    scope: 'page',
    unavailable: (view) => (!view.running ? NOT_RUNNING : view.nodeIds.length > 1 ? null : 'A partition needs at least two nodes.'),
    perform: () => openPartitionTool(),
  },
  { id: 'pick-apply', label: 'Apply', keys: ['a'], scope: 'picking', unavailable: always, perform: () => applyPartitionTool() },
  {
    id: 'pick-node',
    label: 'Pick orch-N',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    scope: 'picking',
    unavailable: (view, key) => (view.nodeIds.includes(orchOf(key) ?? '') ? null : `There is no ${orchOf(key) ?? 'such node'}.`),
    perform: (_, key) => togglePick(orchOf(key)!),
  },
  { id: 'pick-cancel', label: 'Cancel', keys: ['Escape'], scope: 'picking', unavailable: always, perform: () => cancelPartitionTool() },
  whileRunning('heal-all', 'Heal all', ['h'], 'Heal every partition and cut link', () => engine.act({ do: 'heal' }), { help: { keys: 'h', words: 'heal all' } }),
  {
    id: 'select-orch',
    label: 'Select orch-N',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    keyName: '1 … 9',
    help: { keys: '1 … 9', words: 'select orch-1 … orch-9 (pick them in the partition tool)' },
    legend: { keys: '1–9', words: 'pick orch-N' },
    scope: 'page',
    unavailable: (view, key) => (view.nodeIds.includes(orchOf(key) ?? '') ? null : `There is no ${orchOf(key) ?? 'such node'}.`),
    perform: (_, key) => selectAndFocus(orchOf(key)!),
  },
  {
    id: 'leave-presenter',
    label: 'Leave presenter mode',
    keys: ['Escape'],
    legend: { keys: 'Esc', words: 'leave' },
    scope: 'page',
    unavailable: (view) => (view.presenting ? null : 'Presenter mode is off.'),
    perform: () => leavePresenter(),
  },
  {
    id: 'close',
    label: 'Close',
    keys: ['Escape'],
    keyName: 'Esc',
    help: { keys: 'Esc', words: 'close the inspector, menu or partition tool (leave presenter mode)' },
    scope: 'page',
    unavailable: (view) => (view.anySelection ? null : 'Nothing is selected.'),
    perform: () => select(null),
  },
  {
    id: 'next-step',
    label: 'Next step',
    keys: ['n', 'ArrowRight'],
    help: { keys: 'n / b', words: 'next / previous lesson step (→ / ← in presenter mode)' },
    legend: { keys: '← →', words: 'lesson step' },
    scope: 'page',
    unavailable: (view, key) => (!view.lesson ? 'There is no lesson.' : key === 'ArrowRight' && !view.presenting ? '→ moves the lesson on only in presenter mode.' : null),
    perform: () => nextStep(),
  },
  {
    id: 'previous-step',
    label: 'Previous step',
    keys: ['b', 'ArrowLeft'],
    scope: 'page',
    unavailable: (view, key) => (!view.lesson ? 'There is no lesson.' : key === 'ArrowLeft' && !view.presenting ? '← moves the lesson back only in presenter mode.' : null),
    perform: () => previousStep(),
  },
  {
    id: 'select-step-node',
    label: 'Select the step’s node',
    keys: ['s'],
    help: { keys: 's', words: 'select the node the lesson step points at' },
    legend: { keys: 's', words: 'pick the step’s node' },
    scope: 'page',
    unavailable: (view) => (view.lessonTarget ? null : 'The lesson step points at no node.'),
    perform: () => void selectStepNode(),
  },
  {
    id: 'presenter',
    label: 'Presenter mode',
    keys: ['f'],
    help: { keys: 'f', words: 'presenter mode on / off' },
    title: 'Large type and high contrast for a projector, driven by keys',
    scope: 'page',
    unavailable: always,
    // The button shows only while presenter mode is off, so for it this enters; the key toggles.
    perform: () => togglePresenter(),
  },
  { id: 'copy-link', label: 'Copy link', keys: [], scope: 'page', unavailable: whenRunning, perform: () => void copyLink() },
  whileRunning('download-report', 'Download report', [], 'The JSON report of this run played to its end, the same as npm run sim --json prints', () => engine.downloadReport()),
  whileRunning('download-trace', 'Download trace', [], 'Every step of this run, one JSON object per line, the same as npm run sim --trace writes', () => engine.downloadTrace()),
];

const BY_ID = new Map(PAGE_COMMANDS.map((command) => [command.id, command]));

export function pageCommand(id: PageCommandId): PageCommand {
  return BY_ID.get(id)!;
}

/** A button's tooltip: the command's title and its key (`Heal every partition and cut link (h)`). */
export function titleOf(id: PageCommandId): string {
  const command = pageCommand(id);
  const key = command.keyName ?? command.keys[0];
  const words = command.title ?? command.label;
  return key ? `${words} (${key})` : words;
}

/**
 * The command the keyboard runs for `key` now: the first available one bound to it, in registry
 * order, among `among` when given (the embed offers only some).
 */
export function commandForKey(key: string, view: PageView, among?: readonly PageCommandId[]): PageCommand | null {
  const scope = view.picking ? 'picking' : 'page';
  return (
    PAGE_COMMANDS.find(
      (command) => command.scope === scope && command.keys.includes(key) && (!among || among.includes(command.id)) && command.unavailable(view, key) === null,
    ) ?? null
  );
}

/** Runs the command bound to `key`, if one is available; says whether one ran. */
export function runKey(key: string, view: PageView, among?: readonly PageCommandId[]): boolean {
  const command = commandForKey(key, view, among);
  command?.perform(view, key);
  return command !== null;
}

/** The keyboard-help table, in registry order. */
export function helpRows(): readonly KeyRow[] {
  return PAGE_COMMANDS.flatMap((command) => (command.help ? [command.help] : []));
}

/** Presenter mode's legend, in the order a presenter reaches for them. */
const LEGEND_ORDER: readonly PageCommandId[] = ['play-pause', 'step', 'select-orch', 'select-step-node', 'crash', 'restart', 'next-step', 'leave-presenter'];

export function legendRows(): readonly KeyRow[] {
  return LEGEND_ORDER.map((id) => pageCommand(id).legend!);
}

/** The page now, as the commands see it. */
export function pageView(): PageView {
  const state = useSim.getState();
  const selectedId = state.selection?.kind === 'node' ? state.selection.id : null;
  return {
    running: state.status === 'running',
    playing: state.playing,
    picking: state.partitionPick !== null,
    presenting: usePresenter.getState().on,
    lesson: hasLesson(),
    lessonTarget: useLesson.getState().target,
    selected: (selectedId && state.nodesById[selectedId]) || null,
    anySelection: state.selection !== null,
    nodeIds: state.nodeIds,
    actions: actionContextOf(state),
  };
}

/** Runs a command from a button, if it is available now. */
export function runCommand(id: PageCommandId): void {
  const view = pageView();
  const command = pageCommand(id);
  if (command.unavailable(view) === null) command.perform(view);
}
