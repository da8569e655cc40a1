// "Add to playlist" without leaving the page: the row's menu posts to /my/playlists/add (which
// works without JavaScript); here the post is a fetch answered in JSON, and a toast says where the
// song went. "New playlist…" is left to the page: it asks for the new playlist's name, and the
// music plays on while the listener types it.
import { csrfToken } from '../csrf.js';
import type { Toasts } from '../ui/toasts.js';

interface Added {
  playlist: { id: number; name: string };
  song: { id: number; title: string };
  added: boolean;
}

export function bindAddToPlaylist(toasts: Toasts): void {
  document.addEventListener(
    'submit',
    async (e) => {
      const form = (e.target as Element).closest<HTMLFormElement>('form[data-add-form]');
      const token = csrfToken();
      if (!form || !token || new FormData(form).get('playlistId') === 'new') return;
      e.preventDefault();
      form.closest('details')?.removeAttribute('open');
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          headers: { 'x-csrf-token': token, Accept: 'application/json' },
          body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
        });
        if (!response.ok) throw new Error(String(response.status));
        const { playlist, song, added } = (await response.json()) as Added;
        toasts.show(added ? `Added “${song.title}” to “${playlist.name}”.` : `“${song.title}” is already in “${playlist.name}”.`);
      } catch {
        toasts.show('Could not add that song. Please try again.');
      }
    },
    true,
  );
}
