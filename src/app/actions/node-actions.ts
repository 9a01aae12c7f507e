/**
 * The node commands as named actions (excalidraw's idea): one definition of what `Crash`,
 * `Restart`, `Wipe disk` and `Promote` do, when they are unavailable and why, and which key
 * runs them. The inspector's buttons, the context menu and the keyboard all call these.
 */
import type { NodeState } from '../../sim/kernel/simulation';
import { useMemo } from 'react';
import { commands } from '../store/engine';
import { useSim, type SimState } from '../store/sim-store';

export interface ActionContext {
  readonly hasDatabase: boolean;
  /** Region role keys of the data centres that are dark: their nodes cannot restart until restored. */
  readonly darkRegions: readonly string[];
}

export interface NodeAction {
  readonly id: 'crash' | 'restart' | 'wipe-disk' | 'promote';
  readonly label: string;
  /** The shortcut key while the node is selected, if any. */
  readonly key: string | null;
  readonly danger: boolean;
  /** Why the action cannot run on this node now, or null when it can. */
  readonly unavailable: (node: NodeState, context: ActionContext) => string | null;
  readonly perform: (node: NodeState) => void;
}

export const NODE_ACTIONS: readonly NodeAction[] = [
  {
    id: 'crash',
    label: 'Crash',
    key: 'c',
    danger: true,
    unavailable: (node) => (node.up ? null : `${node.id} is already down.`),
    perform: (node) => commands.act({ do: 'crash', node: node.id }),
  },
  {
    id: 'restart',
    label: 'Restart',
    key: 'r',
    danger: false,
    unavailable: (node, context) => {
      if (node.up) return `${node.id} is running.`;
      if (context.darkRegions.includes(node.region)) return `${node.id}'s data centre is dark; restore it first.`;
      return null;
    },
    perform: (node) => commands.act({ do: 'restart', node: node.id }),
  },
  {
    id: 'wipe-disk',
    label: 'Wipe disk',
    key: 'w',
    danger: true,
    unavailable: () => null,
    perform: (node) => commands.act({ do: 'wipe-disk', node: node.id }),
  },
  {
    id: 'promote',
    label: 'Promote',
    key: 'P',
    danger: false,
    unavailable: (node, context) => {
      if (!context.hasDatabase) return 'There is no database in this scenario; Promote is for database replicas.';
      if (node.kind !== 'database') return 'Only a database replica can be promoted.';
      if (!node.up) return `${node.id} is down; restart it before promoting it.`;
      if (node.view.role === 'primary') return `${node.id} is already the primary.`;
      return null;
    },
    perform: (node) => commands.act({ do: 'promote', node: node.id }),
  },
];

/** Runs the action bound to `key` on `node` if it is available; says whether a key was used. */
export function performByKey(key: string, node: NodeState, context: ActionContext): boolean {
  const action = NODE_ACTIONS.find((a) => a.key === key);
  if (!action) return false;
  if (action.unavailable(node, context) === null) action.perform(node);
  return true;
}

export function actionContextOf(state: SimState): ActionContext {
  return { hasDatabase: state.info?.hasDatabase ?? false, darkRegions: state.faults.darkRegions };
}

/** The context for components; it changes only when a database appears or a region goes dark. */
export function useActionContext(): ActionContext {
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const dark = useSim((s) => s.faults.darkRegions.join(' '));
  return useMemo(() => ({ hasDatabase, darkRegions: dark ? dark.split(' ') : [] }), [hasDatabase, dark]);
}
