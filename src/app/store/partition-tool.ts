/**
 * The partition tool's mode: open it, pick the nodes of side 1 (everyone else is side 2),
 * apply or cancel. Applying records `partition [[picked], ["*"]]` at the simulated time.
 */
import { commands } from './engine';
import { useSim } from './sim-store';

export function openPartitionTool(): void {
  useSim.setState({ partitionPick: [], menu: null, selection: null });
  // Keyboard users start on the first node, where Enter or Space picks it.
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-node-id]')?.focus());
}

export function togglePick(id: string): void {
  useSim.setState((s) => {
    if (!s.partitionPick) return {};
    const picked = s.partitionPick.includes(id) ? s.partitionPick.filter((p) => p !== id) : [...s.partitionPick, id];
    return { partitionPick: picked };
  });
}

export function cancelPartitionTool(): void {
  useSim.setState({ partitionPick: null });
}

/** Why the picked nodes cannot be split off yet, or null when they can. */
export function pickProblem(picked: readonly string[], nodeCount: number): string | null {
  if (picked.length === 0) return 'Pick at least one node for side 1.';
  if (picked.length >= nodeCount) return 'Leave at least one node for side 2.';
  return null;
}

export function applyPartitionTool(): void {
  const { partitionPick, nodeIds } = useSim.getState();
  if (!partitionPick || pickProblem(partitionPick, nodeIds.length)) return;
  const ordered = nodeIds.filter((id) => partitionPick.includes(id));
  commands.act({ do: 'partition', groups: [ordered, ['*']] });
  useSim.setState({ partitionPick: null });
}
