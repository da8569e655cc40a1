// The keyboard shortcuts dialog: a native <dialog> opened with `?` or its button, closed with
// Escape, its Close button or a click outside; focus goes back to where it was.

export interface ShortcutsDialog {
  open(): void;
  isOpen(): boolean;
}

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
