/** A form that runs `onSubmit` when sent (Enter in a field, or its submit button) instead of loading a page. */
import type { ReactNode } from 'react';

export function ActionForm({ className, onSubmit, children }: { className: string; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
