// The player's small menus are native popovers (the button's popovertarget opens one; Escape and a
// click elsewhere close it, and focus goes back to the button).

/** Opening moves the focus to the menu's current choice, where the arrow keys change it. */
export function focusOnOpen(menu: HTMLElement): void {
  menu.addEventListener('toggle', (e) => {
    if ((e as ToggleEvent).newState === 'open') menu.querySelector<HTMLElement>('input:checked, input')?.focus();
  });
}
