// Menus made of <details> (the account menu, each row's "add to playlist"): they work without
// JavaScript; with it, opening one closes the others, and a click elsewhere or Escape closes it.
const MENUS = 'details[data-popup-menu], details[data-account-menu]';

export function bindMenus(): void {
  document.addEventListener(
    'toggle',
    (e) => {
      const opened = e.target as HTMLDetailsElement;
      if (!opened.matches?.(MENUS) || !opened.open) return;
      for (const other of document.querySelectorAll<HTMLDetailsElement>(`${MENUS.replace(/\]/g, '][open]')}`)) if (other !== opened) other.open = false;
    },
    true,
  );
  document.addEventListener('click', (e) => {
    for (const menu of document.querySelectorAll<HTMLDetailsElement>(MENUS)) if (menu.open && !menu.contains(e.target as Node)) menu.open = false;
  });
  // A page kept for the back button is kept with its menus closed.
  document.addEventListener('turbo:before-cache', () => {
    for (const menu of document.querySelectorAll<HTMLDetailsElement>(`${MENUS.replace(/\]/g, '][open]')}`)) menu.open = false;
    for (const popover of document.querySelectorAll<HTMLElement>('[popover]:popover-open')) popover.hidePopover();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const menu = (e.target as Element).closest?.<HTMLDetailsElement>(MENUS);
    if (menu?.open) {
      menu.open = false;
      menu.querySelector('summary')?.focus();
    }
  });
}
