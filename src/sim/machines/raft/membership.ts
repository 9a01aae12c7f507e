/**
 * Cluster membership, changed one server at a time through the log (Raft dissertation §4.1).
 *
 * A configuration is not stored anywhere of its own: it is the topology's first orchestrators,
 * changed by every `config add X` / `config remove X` entry of a node's log, in log order,
 * committed or not. A server acts on the latest configuration in its log as soon as the entry is
 * there, so truncating the log rolls the configuration back with it. Because two configurations
 * that differ by one server always share a member in any two of their majorities, no joint
 * consensus is needed as long as changes go one at a time.
 */
import type { NodeId } from '../protocol';
import type { Topology } from '../../scenario/types';
import { initialNodes } from '../../scenario/nodes';

export interface ConfigChange {
  readonly op: 'add' | 'remove';
  readonly node: NodeId;
}

/** A node's configuration and the log index it comes from (0: no config entry, the topology's own). */
export interface Configuration {
  readonly members: readonly NodeId[];
  readonly index: number;
}

const CONFIG_PREFIX = 'config ';
const CONFIG_COMMAND = /^config (add|remove) (orch-[1-9][0-9]*)$/;

/** Whether a command is meant as a membership change (well formed or not): a cheap test for every entry. */
export function isConfigCommand(cmd: string): boolean {
  return cmd.startsWith(CONFIG_PREFIX);
}

/** `config add orch-4` → { op: 'add', node: 'orch-4' }; null for anything else, a malformed change included. */
export function parseConfigChange(cmd: string): ConfigChange | null {
  const match = CONFIG_COMMAND.exec(cmd);
  return match ? { op: match[1] as ConfigChange['op'], node: match[2]! } : null;
}

/** The orchestrators the cluster starts with, in the order the kernel creates them. */
export function initialMembers(topology: Topology): NodeId[] {
  return initialNodes(topology).filter((node) => node.kind === 'orchestrator').map((node) => node.id);
}

/** The members after one change; an addition goes last, so the order depends only on the log. */
export function applyChange(members: readonly NodeId[], change: ConfigChange): readonly NodeId[] {
  if (change.op === 'add') return members.includes(change.node) ? members : [...members, change.node];
  return members.includes(change.node) ? members.filter((id) => id !== change.node) : members;
}

/** Whether a change would change anything: adding a member or removing a non-member would not. */
export function changesMembers(members: readonly NodeId[], change: ConfigChange): boolean {
  return members.includes(change.node) === (change.op === 'remove');
}

/**
 * The configuration after reading `log` from 1-based `fromIndex` to its end on top of `base`.
 * `log[0]` is entry `offset + 1` (a log whose first `offset` entries are a snapshot). A malformed
 * `config …` entry changes nothing (a leader never appends one).
 */
export function readConfigEntries(base: Configuration, log: readonly { readonly cmd: string }[], fromIndex: number, offset = 0): Configuration {
  let config = base;
  for (let index = Math.max(offset + 1, fromIndex); index <= offset + log.length; index++) {
    const cmd = log[index - offset - 1]!.cmd;
    if (!isConfigCommand(cmd)) continue;
    const change = parseConfigChange(cmd);
    if (change !== null) config = { members: applyChange(config.members, change), index };
  }
  return config;
}

/**
 * The configuration a whole log gives: from the first members on, or from a snapshot's
 * configuration when the log starts after one (`log[0]` is then entry `snapshot.index + 1`).
 */
export function configurationOf(
  first: readonly NodeId[],
  log: readonly { readonly cmd: string }[],
  snapshot: { readonly index: number; readonly members: readonly NodeId[]; readonly configIndex: number } | null = null,
): Configuration {
  if (snapshot === null) return readConfigEntries({ members: first, index: 0 }, log, 1);
  return readConfigEntries({ members: snapshot.members, index: snapshot.configIndex }, log, snapshot.index + 1, snapshot.index);
}

export function majorityOf(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}

/** "orch-1, orch-3, orch-4": how the inspector and messages list a configuration. */
export function describeMembers(members: readonly NodeId[]): string {
  return members.length === 0 ? '(none)' : members.join(', ');
}
