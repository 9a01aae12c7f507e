/**
 * Opening a node's context menu (NodeMenu.tsx draws it): kept apart from the menu itself, so the
 * graph can open it while an embed downloads the menu's code only when a reader first opens one.
 */
import { select, useSim } from '../../store/sim-store';

export function openNodeMenu(id: string, x: number, y: number): void {
  select({ kind: 'node', id });
  useSim.setState({ menu: { id, x, y } });
}

export function openNodeMenuByKeyboard(id: string, element: HTMLElement): void {
  const box = element.getBoundingClientRect();
  openNodeMenu(id, box.left + box.width / 2, box.bottom);
}
