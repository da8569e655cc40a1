// "Not for this vibe" without a page reload: the server renders a form per song on a genre's
// player (which works without JavaScript); here it becomes a fetch to PUT /api/me/hidden/:genre/:song
// with the CSRF header, and the player takes the song out of its list at once.
import { csrfToken } from './csrf.js';
import type { Track } from './playlist.types.js';

export interface Hiding {
  /** Hides this song from the genre; true once the server has it. */
  hide(songId: number): Promise<boolean>;
  /** A control for a row the player appended, or null when the page cannot hide (a visitor). */
  button(track: Track): HTMLElement | null;
}

/** `hidden(songId)`: the song is hidden now; take it out of the list. */
export function bindHiding(root: ParentNode, genreId: number, announce: (text: string) => void, hidden: (songId: number) => void): Hiding {
  async function hide(songId: number): Promise<boolean> {
    const token = csrfToken();
    if (!token) return false;
    try {
      const response = await fetch(`/api/me/hidden/${genreId}/${songId}`, { method: 'PUT', headers: { 'x-csrf-token': token, Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      hidden(songId);
      announce('Hidden from this mood. Hidden songs, in your account, has it if you change your mind.');
      return true;
    } catch {
      announce('Could not hide that song. Please try again.');
      return false;
    }
  }

  root.querySelectorAll<HTMLFormElement>('form[data-hide-form]').forEach((form) => {
    form.addEventListener('submit', (e) => {
      if (!csrfToken()) return; // no token in the page: let the form post normally
      e.preventDefault();
      void hide(Number(form.dataset.songId));
    });
  });

  return {
    hide,
    button(track) {
      if (!csrfToken()) return null;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button small secondary hide-song';
      button.textContent = 'Not for this vibe';
      const label = document.createElement('span');
      label.className = 'sr-only';
      label.textContent = `: hide “${track.title}”`;
      button.append(label);
      button.addEventListener('click', () => void hide(track.id));
      return button;
    },
  };
}
