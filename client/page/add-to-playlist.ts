// "Add to playlist" without leaving the page: the row's menu posts to /my/playlists/add (which
// works without JavaScript); here the post is a fetch answered in JSON, and a toast says where the
// song went. "New playlist…" is left to the page: it asks for the new playlist's name, and the
// music plays on while the listener types it.
import { sendWithCsrf } from '../csrf.js';
import type { Toasts } from '../ui/toasts.js';
import { takeOverForms } from './forms.js';

interface Added {
  playlist: { id: number; name: string };
  song: { id: number; title: string };
  added: boolean;
}

export function bindAddToPlaylist(toasts: Toasts): void {
  takeOverForms('form[data-add-form]', (form, token) => {
    if (new FormData(form).get('playlistId') === 'new') return false;
    form.closest('details')?.removeAttribute('open');
    void add(form, token, toasts);
    return true;
  });
}

async function add(form: HTMLFormElement, token: string, toasts: Toasts): Promise<void> {
  try {
    const response = await sendWithCsrf(form.action, 'POST', { token, body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>) });
    if (!response) throw new Error('not added');
    const { playlist, song, added } = (await response.json()) as Added;
    toasts.show(added ? `Added “${song.title}” to “${playlist.name}”.` : `“${song.title}” is already in “${playlist.name}”.`);
  } catch {
    toasts.show('Could not add that song. Please try again.');
  }
}
