// Keyboard shortcuts and their dialog. The keys work anywhere on the page except while typing or
// while the dialog is open; the dialog is a native <dialog> opened with `?` or its button, closed
// with Escape, its Close button or a click outside, and focus goes back to where it was.

export interface ShortcutsDialog {
  open(): void;
  isOpen(): boolean;
}

export interface KeyboardCommands {
  toggle(): void;
  seekBy(seconds: number): void;
  next(): void;
  previous(): void;
  /** Presses the heart of the playing track. */
  favorite(): void;
  /** Hides the playing track from the genre ("not for this vibe"). */
  hide(): void;
  /** The sleep timer's next choice: off, 15, 30, 60 minutes, the end of this track. */
  sleep(): void;
  /** The crossfade's next length: off, 2, 4, 6, 8 seconds. */
  crossfade(): void;
  /** Loudness normalization on or off. */
  loudness(): void;
  mute(): void;
}

/** How far ← and → seek. */
const SEEK_STEP_SECONDS = 10;

export function bindShortcutsDialog(dialog: HTMLDialogElement, opener: HTMLElement | null): ShortcutsDialog {
  let returnTo: HTMLElement | null = null;
  const open = () => {
    if (dialog.open) return;
    returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
  };
  dialog.addEventListener('close', () => {
    returnTo?.focus();
    returnTo = null;
  });
  dialog.querySelector('[data-action="close-shortcuts"]')?.addEventListener('click', () => dialog.close());
  // The dialog has no padding of its own, so a click on it (not on its body) is on the backdrop.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  opener?.addEventListener('click', open);
  return { open, isOpen: () => dialog.open };
}

export function bindKeyboard(commands: KeyboardCommands, dialog: ShortcutsDialog): void {
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || dialog.isOpen()) return;
    if (target.closest('input, textarea, select, [contenteditable]')) return;
    switch (e.key) {
      case ' ':
        if (target.closest('button, a, summary, [role="button"]')) return; // they have their own Space
        commands.toggle();
        break;
      case 'ArrowRight':
        commands.seekBy(SEEK_STEP_SECONDS);
        break;
      case 'ArrowLeft':
        commands.seekBy(-SEEK_STEP_SECONDS);
        break;
      case 'n':
      case 'j':
        commands.next();
        break;
      case 'p':
      case 'k':
        commands.previous();
        break;
      case 'f':
        commands.favorite();
        break;
      case 'x':
        commands.hide();
        break;
      case 't':
        commands.sleep();
        break;
      case 'c':
        commands.crossfade();
        break;
      case 'l':
        commands.loudness();
        break;
      case 'm':
        commands.mute();
        break;
      case '?':
        dialog.open();
        break;
      default:
        return;
    }
    e.preventDefault();
  });
}
