// Hearts without page reloads: the server renders a plain form per song (which works without
// JavaScript); here it becomes a fetch to PUT/DELETE /api/favorites/:id with the CSRF header.
import { csrfToken } from './csrf.js';

/**
 * The same icon the server renders (views/partials/tracks.ejs): one symbol in public/img/icons.svg,
 * under the fingerprinted URL the page names it by (the player's data-icons), so it is one download.
 */
const heartIcon = () => {
  const sprite = document.querySelector<HTMLElement>('[data-icons]')?.dataset.icons ?? '/static/img/icons.svg';
  return `<svg viewBox="0 0 24 24" aria-hidden="true"><use href="${sprite}#heart"></use></svg>`;
};

async function toggle(button: HTMLButtonElement, songId: string, announce: (text: string) => void): Promise<void> {
  const token = csrfToken();
  if (!token) return;
  const loved = button.getAttribute('aria-pressed') === 'true';
  button.disabled = true;
  try {
    const response = await fetch(`/api/favorites/${songId}`, {
      method: loved ? 'DELETE' : 'PUT',
      headers: { 'x-csrf-token': token, Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(String(response.status));
    const result = (await response.json()) as { favorited: boolean; favoriteCount: number };
    button.setAttribute('aria-pressed', String(result.favorited));
    const count = button.querySelector('[data-favorite-count]');
    if (count) count.textContent = String(result.favoriteCount);
    const form = button.closest('form');
    if (form) form.action = `/favorites/${songId}${result.favorited ? '/remove' : ''}`;
    announce(result.favorited ? 'Added to your favorites' : 'Removed from your favorites');
  } catch {
    announce('Could not save that favorite. Please try again.');
  } finally {
    button.disabled = false;
  }
}

/** Turns every server-rendered heart form under root into a fetch. */
export function enhanceHearts(root: ParentNode, announce: (text: string) => void): void {
  root.querySelectorAll<HTMLFormElement>('form[data-favorite-form]').forEach((form) => {
    const button = form.querySelector('button')!;
    form.addEventListener('submit', (e) => {
      if (!csrfToken()) return; // no token in the page: let the form post normally
      e.preventDefault();
      void toggle(button, form.dataset.songId!, announce);
    });
  });
}

/** A heart for a row the player appended (logged-in listeners only), or null. */
export function heartButton(songId: number, count: number, title: string, announce: (text: string) => void): HTMLElement | null {
  if (!csrfToken()) return null;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'heart';
  button.setAttribute('aria-pressed', 'false');
  // The visible count is part of the name ("Favorite “X”, loved by 3"), as WCAG 2.5.3 asks.
  button.innerHTML = `${heartIcon()}<span class="sr-only"></span><span class="heart-count" data-favorite-count></span>`;
  button.querySelector('.sr-only')!.textContent = `Favorite “${title}”, loved by `;
  button.querySelector('[data-favorite-count]')!.textContent = String(count);
  button.addEventListener('click', () => void toggle(button, String(songId), announce));
  const actions = document.createElement('div');
  actions.className = 'track-actions';
  actions.append(button);
  return actions;
}

/** The `f` shortcut: presses the heart of this row, if it has one. */
export function pressHeart(row: Element | null | undefined): void {
  row?.querySelector<HTMLButtonElement>('.heart[aria-pressed]')?.click();
}
