// Feedback the listener can see: short messages at the bottom of the screen, above the
// mini-player, in a polite live region (so screen readers say them too). A message may carry one
// action (Undo), and then stays long enough to use it; focus inside a toast keeps it up.
export interface ToastAction {
  label: string;
  /** The button's full name for screen readers ("Undo: play “X” again"). */
  name?: string;
  run(): void;
}

export interface Toasts {
  show(text: string, action?: ToastAction): void;
}

const PLAIN_MS = 5000;
const WITH_ACTION_MS = 8000;
/** More than this many at once: the oldest go. */
const MAX_SHOWN = 3;

export function bindToasts(region: HTMLElement): Toasts {
  return {
    show(text, action) {
      const toast = document.createElement('div');
      toast.className = 'toast';
      const message = document.createElement('p');
      message.textContent = text;
      toast.append(message);
      if (action) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'toast-action';
        button.textContent = action.label;
        if (action.name) button.setAttribute('aria-label', action.name);
        button.addEventListener('click', () => {
          action.run();
          toast.remove();
        });
        toast.append(button);
      }
      region.append(toast);
      while (region.childElementCount > MAX_SHOWN) region.firstElementChild?.remove();
      const dismiss = () => {
        if (toast.contains(document.activeElement)) return void setTimeout(dismiss, 1000);
        toast.remove();
      };
      setTimeout(dismiss, action ? WITH_ACTION_MS : PLAIN_MS);
    },
  };
}
