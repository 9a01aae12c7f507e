/** The toolbar's way into presenter mode (the key is `f`). */
import { pageCommand, titleOf } from '../actions/commands';
import { enterPresenter } from './presenter-store';

export function PresenterButton() {
  return (
    <button type="button" className="presenter-button" onClick={enterPresenter} title={titleOf('presenter')}>
      {pageCommand('presenter').label}
    </button>
  );
}
