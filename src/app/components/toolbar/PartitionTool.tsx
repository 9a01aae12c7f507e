/**
 * The partition tool, in three pieces: the toolbar button that opens it, the panel over the
 * graph while picking (how many are picked, Apply, Cancel), and the note saying which
 * partition is in force.
 */
import { useEffect, useRef } from 'react';
import { pageCommand, titleOf } from '../../actions/commands';
import { applyPartitionTool, cancelPartitionTool, openPartitionTool, pickProblem } from '../../store/partition-tool';
import { useSim } from '../../store/sim-store';

export function PartitionButton() {
  const picking = useSim((s) => s.partitionPick !== null);
  const ready = useSim((s) => s.status === 'running' && s.nodeIds.length > 1);
  return (
    <button type="button" aria-pressed={picking} disabled={!ready} onClick={picking ? cancelPartitionTool : openPartitionTool} title={titleOf('partition')}>
      {pageCommand('partition').label}
    </button>
  );
}

function sideList(ids: readonly string[]): string {
  return ids.length > 0 ? ids.join(', ') : 'nobody yet';
}

export function PartitionPanel() {
  const picked = useSim((s) => s.partitionPick);
  const nodeIds = useSim((s) => s.nodeIds);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const open = picked !== null;
  useEffect(() => {
    if (open) headingRef.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  if (!picked) return null;
  const problem = pickProblem(picked, nodeIds.length);
  const rest = nodeIds.filter((id) => !picked.includes(id));
  return (
    <section className="partition-panel" aria-labelledby="partition-title">
      <h2 id="partition-title" ref={headingRef}>
        Partition: pick side 1
      </h2>
      <p className="small">Click nodes (or focus one and press Enter, or press 1–9 for orch-1 … orch-9) to move them to side 1. Everyone else is side 2. Press a to apply, Esc to cancel.</p>
      <p className="partition-sides" aria-live="polite">
        <span>
          <span className="side-badge side-1" aria-hidden="true">1</span> side 1: {sideList(picked)}
        </span>
        <span>
          <span className="side-badge side-2" aria-hidden="true">2</span> side 2: {sideList(rest)}
        </span>
      </p>
      <div className="partition-actions">
        <button type="button" className="primary" onClick={applyPartitionTool} title="a"  disabled={problem !== null} aria-describedby={problem ? 'partition-problem' : undefined}>
          Apply partition
        </button>
        <button type="button" onClick={cancelPartitionTool} title="Esc">
          Cancel
        </button>
      </div>
      {problem && (
        <p id="partition-problem" className="muted small">
          {problem}
        </p>
      )}
    </section>
  );
}

/** Says which partition is in force, in words, beneath the graph's badges. */
export function PartitionNote() {
  const partition = useSim((s) => s.faults.partition);
  const picking = useSim((s) => s.partitionPick !== null);
  if (!partition || picking) return null;
  return (
    <p className="partition-note">
      <strong>Partitioned:</strong>{' '}
      {partition.map((group, i) => (
        <span key={i} className="partition-note-side">
          <span className={`side-badge side-${i + 1}`} aria-hidden="true">
            {i + 1}
          </span>{' '}
          <span className="visually-hidden">side {i + 1}: </span>
          {group.join(', ')}
          {i < partition.length - 1 ? ' | ' : ''}
        </span>
      ))}{' '}
      <span className="muted">Heal all removes it.</span>
    </p>
  );
}
