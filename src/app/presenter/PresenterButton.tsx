/** The toolbar's way into presenter mode (the key is `f`). */
import { enterPresenter } from './presenter-store';

export function PresenterButton() {
  return (
    <button type="button" className="presenter-button" onClick={enterPresenter} title="Large type and high contrast for a projector, driven by keys (f)">
      Presenter mode
    </button>
  );
}
