/** If drawing fails, the page says so and offers a way back instead of going blank. */
import { Component, type ReactNode } from 'react';

interface State {
  readonly message: string | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { message: null };

  static getDerivedStateFromError(error: unknown): State {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  override render() {
    if (this.state.message === null) return this.props.children;
    return (
      <section className="banner banner-error" role="alert">
        <h2>The page could not draw the simulation</h2>
        <p className="banner-message">{this.state.message}</p>
        <p>Your run is saved in this browser. Reloading the page reopens it.</p>
        <div className="banner-actions">
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
        </div>
      </section>
    );
  }
}
