/**
 * The node commands as named actions (excalidraw's idea): one definition of what `Crash`,
 * `Restart`, `Wipe disk`, `Promote`, `Switchover` and `Restore…` do, when they are unavailable and why, and
 * which key runs them. The inspector's buttons and the context menu call these; the page's command
 * registry (commands.ts) lists them as commands on the selected node, for the keyboard and its help.
 * An action that needs an answer first (`Restore…`: from which backup store?) lists its choices.
 */
import type { NodeState } from '../../sim';
import { useMemo } from 'react';
import { formatClock } from '../failover/words';
import { commands } from '../store/engine';
import { useSim, type SimState } from '../store/sim-store';

export interface BackupStore {
  readonly id: string;
  /** Whether its backups can be read now (it is down while its data centre is dark). */
  readonly up: boolean;
}

export interface ActionContext {
  readonly hasDatabase: boolean;
  /** Region role keys of the data centres that are dark: their nodes cannot restart until restored. */
  readonly darkRegions: readonly string[];
  /** The scenario's backup stores (`backup-<region>`), in the simulation's order. */
  readonly backupStores: readonly BackupStore[];
  /** Raft orchestrators decide the database's failovers and carry out a switchover (absent or false: the primary hands over itself). */
  readonly agentsDecide?: boolean;
}

/** One answer to an action's question, and why it cannot be chosen now (null when it can). */
export interface ActionChoice {
  readonly value: string;
  readonly label: string;
  readonly unavailable: string | null;
}

export interface NodeAction {
  readonly id: 'crash' | 'restart' | 'wipe-disk' | 'promote' | 'switchover' | 'restore';
  readonly label: string;
  /** The shortcut key while the node is selected, if any. */
  readonly key: string | null;
  /** How the keyboard-help table writes the key, when not as `key` (`Shift+P`). */
  readonly keyName?: string;
  /** The keyboard-help table's words for the key, and presenter mode's shorter ones. */
  readonly help?: string;
  readonly legend?: string;
  readonly danger: boolean;
  /** Whether this scenario offers the action at all; absent means always. */
  readonly offered?: (context: ActionContext) => boolean;
  /** Why the action cannot run on this node now, or null when it can. */
  readonly unavailable: (node: NodeState, context: ActionContext) => string | null;
  /** For an action that asks first: the question and its answers; `perform` then gets the chosen value. */
  readonly ask?: {
    readonly question: (node: NodeState) => string;
    readonly choices: (node: NodeState, context: ActionContext) => readonly ActionChoice[];
  };
  readonly perform: (node: NodeState, choice?: string) => void;
}

/** A machine the cloud is still starting has no process yet: nothing to crash, restart or wipe. */
function provisioningReason(node: NodeState): string | null {
  if (node.view.role !== 'provisioning') return null;
  const when = node.readyAtMs === undefined ? '' : ` (ready at ${formatClock(node.readyAtMs)})`;
  return `${node.id} is still being provisioned${when}; there is nothing to act on yet.`;
}

/**
 * Why `node` cannot take the primary role (`how`: promoting it, switching over to it), or null: it
 * must be a database replica, running, and not the primary already.
 */
function cannotTakeOver(node: NodeState, notDatabase: string, how: string): string | null {
  if (node.kind !== 'database') return notDatabase;
  if (!node.up) return `${node.id} is down; restart it before ${how}.`;
  if (node.view.role === 'primary') return `${node.id} is already the primary.`;
  return null;
}

export const NODE_ACTIONS: readonly NodeAction[] = [
  {
    id: 'crash',
    label: 'Crash',
    key: 'c',
    help: 'crash the selected node',
    legend: 'crash',
    danger: true,
    unavailable: (node) => provisioningReason(node) ?? (node.up ? null : `${node.id} is already down.`),
    perform: (node) => commands.act({ do: 'crash', node: node.id }),
  },
  {
    id: 'restart',
    label: 'Restart',
    key: 'r',
    help: 'restart the selected node',
    legend: 'restart',
    danger: false,
    unavailable: (node, context) => {
      const provisioning = provisioningReason(node);
      if (provisioning) return provisioning;
      if (node.up) return `${node.id} is running.`;
      if (node.replacedBy) return `${node.id} was replaced by ${node.replacedBy}; it will not come back into service.`;
      if (context.darkRegions.includes(node.region)) return `${node.id}'s data centre is dark; restore it first.`;
      return null;
    },
    perform: (node) => commands.act({ do: 'restart', node: node.id }),
  },
  {
    id: 'wipe-disk',
    label: 'Wipe disk',
    key: 'w',
    help: 'wipe the selected node’s disk',
    danger: true,
    unavailable: (node) => provisioningReason(node),
    perform: (node) => commands.act({ do: 'wipe-disk', node: node.id }),
  },
  {
    id: 'promote',
    label: 'Promote',
    key: 'P',
    keyName: 'Shift+P',
    help: 'promote the selected database replica',
    danger: false,
    unavailable: (node, context) => {
      if (!context.hasDatabase) return 'There is no database in this scenario; Promote is for database replicas.';
      return cannotTakeOver(node, 'Only a database replica can be promoted.', 'promoting it');
    },
    perform: (node) => commands.act({ do: 'promote', node: node.id }),
  },
  {
    // The safe way to move the primary role: Promote on a standby while the primary is healthy is
    // `pg_ctl promote`, two writers until the old one hears of the new epoch.
    id: 'switchover',
    label: 'Switchover',
    key: null,
    danger: false,
    offered: (context) => context.hasDatabase,
    unavailable: (node) => {
      const problem = cannotTakeOver(node, 'Only a database standby can take over in a switchover.', 'switching over to it');
      if (problem !== null) return problem;
      if (node.view.role !== 'standby') return `${node.id} is ${node.view.role}; a switchover hands over to a standby that streams from the primary.`;
      return null;
    },
    perform: (node) => commands.act({ do: 'switchover', node: node.id }),
  },
  {
    id: 'restore',
    label: 'Restore…',
    key: null,
    danger: false,
    offered: (context) => context.backupStores.length > 0,
    unavailable: (node, context) => {
      if (node.kind !== 'database') return 'Only a database node can be restored from a backup.';
      if (node.up) return `${node.id} is running; a backup is restored onto a database node that is down.`;
      if (context.darkRegions.includes(node.region)) return `${node.id}'s data centre is dark; restore it first.`;
      return null;
    },
    ask: {
      question: (node) => `Restore ${node.id} from which backup store?`,
      choices: (_, context) =>
        context.backupStores.map((store) => ({
          value: store.id,
          label: `Restore from ${store.id}`,
          unavailable: store.up ? null : `${store.id} is down: its backups cannot be read.`,
        })),
    },
    perform: (node, from) => {
      if (from) commands.act({ do: 'restore-backup', node: node.id, from });
    },
  },
];

/** The actions this scenario offers, in their fixed order. */
export function offeredActions(context: ActionContext): readonly NodeAction[] {
  return NODE_ACTIONS.filter((action) => action.offered?.(context) ?? true);
}

/**
 * The reasons of the unavailable actions, each kept for its button's description, and which to show:
 * "Crash" on a down node and "Restart" on a running or replaced one explain themselves (the inspector
 * says who replaced it), and a reason shared by several actions is shown once.
 */
export function reasonLines(node: NodeState, reasons: readonly (readonly [NodeAction['id'], string | null])[]): { id: NodeAction['id']; reason: string; shown: boolean }[] {
  const lines: { id: NodeAction['id']; reason: string; shown: boolean }[] = [];
  for (const [id, reason] of reasons) {
    if (reason === null) continue;
    const obvious = (id === 'crash' && reason === `${node.id} is already down.`) || (id === 'restart' && (node.up || !!node.replacedBy));
    lines.push({ id, reason, shown: !obvious && !lines.some((l) => l.shown && l.reason === reason) });
  }
  return lines;
}

/** Runs the action bound to `key` on `node` if it is available; says whether a key was used. */
export function performByKey(key: string, node: NodeState, context: ActionContext): boolean {
  const action = offeredActions(context).find((a) => a.key === key);
  if (!action) return false;
  if (action.unavailable(node, context) === null) action.perform(node);
  return true;
}

/** "backup-mumbai:1 backup-singapore:0": the backup stores and whether each is up, as one comparable string. */
function backupSignature(state: SimState): string {
  return state.nodeIds
    .map((id) => state.nodesById[id])
    .filter((n): n is NodeState => n?.kind === 'backup')
    .map((n) => `${n.id}:${n.up ? 1 : 0}`)
    .join(' ');
}

function storesOf(signature: string): BackupStore[] {
  if (signature === '') return [];
  return signature.split(' ').map((entry) => {
    const [id, up] = entry.split(':') as [string, string];
    return { id, up: up === '1' };
  });
}

export function actionContextOf(state: SimState): ActionContext {
  return {
    hasDatabase: state.info?.hasDatabase ?? false,
    darkRegions: state.faults.darkRegions,
    backupStores: storesOf(backupSignature(state)),
    agentsDecide: state.info?.agentsDecide ?? false,
  };
}

/** The context for components; it changes only when a database appears, a region goes dark or a backup store goes up or down. */
export function useActionContext(): ActionContext {
  const hasDatabase = useSim((s) => s.info?.hasDatabase ?? false);
  const dark = useSim((s) => s.faults.darkRegions.join(' '));
  const stores = useSim(backupSignature);
  const agents = useSim((s) => s.info?.agentsDecide ?? false);
  return useMemo(
    () => ({ hasDatabase, darkRegions: dark ? dark.split(' ') : [], backupStores: storesOf(stores), agentsDecide: agents }),
    [hasDatabase, dark, stores, agents],
  );
}
