/**
 * The frame of a tool's modal dialog (Compare strategies, Run many seeds): a native <dialog> shown
 * while `open` (it keeps focus inside and closes with Escape), a title and a Close button; and the
 * line that says how the tool's runs are going.
 */
import { useId, type ReactNode } from 'react';
import { useModalDialog } from './use-modal-dialog';
import './tool-dialog.css';

export function ToolDialog({ open, title, className, onClose, children }: { open: boolean; title: string; className: string; onClose: () => void; children: ReactNode }) {
  const ref = useModalDialog(open);
  const titleId = useId();
  return (
    // Keys pressed in the dialog are the dialog's: the playground's shortcuts (on window) must not
    // heal or crash anything behind it, nor swallow the Escape that closes it.
    <dialog ref={ref} className={`tool-dialog ${className}`} aria-labelledby={titleId} onClose={onClose} onKeyDown={(e) => e.stopPropagation()}>
      <header className="tool-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="quiet" onClick={onClose}>
          Close
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** What a tool is doing or did, announced politely (in `errorClassName` when it failed), with a bar while it runs. */
export function ToolProgress(props: { className: string; errorClassName: string; text: string; failed: boolean; bar: { max: number; value: number; label: string } | null }) {
  const { className, errorClassName, text, failed, bar } = props;
  return (
    <div className={className}>
      <p role="status" className={failed ? errorClassName : undefined}>
        {text}
      </p>
      {bar && <progress max={bar.max} value={bar.value} aria-label={bar.label} />}
    </div>
  );
}
