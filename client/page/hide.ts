// "Not for this vibe" without leaving the page: the server renders a form per song on a genre's
// player (which works without JavaScript); here it becomes a fetch to PUT /api/me/hidden/:genre/:song
// with the CSRF header. The song leaves the list that plays (and the radio's saved list) at once,
// and a toast offers to undo it for a few seconds (DELETE of the same URL).
import { csrfToken, sendWithCsrf } from '../csrf.js';
import type { Engine } from '../engine/engine.js';
import type { Track } from '../engine/types.js';
import type { Toasts } from '../ui/toasts.js';
import { takeOverForms } from './forms.js';

/** Dispatched on document: `detail` is a HiddenSong. A page's list that is not the one playing drops the song. */
export const SONG_HIDDEN = 'stereodose:song-hidden';
/** Dispatched on document when a hide is undone: `detail` is a HiddenSong. */
export const SONG_RESTORED = 'stereodose:song-restored';

export interface HiddenSong {
  songId: number;
  genreId: number;
}

const hiddenUrl = ({ genreId, songId }: HiddenSong) => `/api/me/hidden/${genreId}/${songId}`;

const send = async (method: 'PUT' | 'DELETE', song: HiddenSong): Promise<boolean> => Boolean(await sendWithCsrf(hiddenUrl(song), method));

export interface Hiding {
  /** Hides the song from the genre (named for the toast); true once the server has it. */
  hide(song: HiddenSong, genreName: string, title: string): Promise<boolean>;
}

export function bindHiding(engine: Engine, toasts: Toasts): Hiding {
  async function hide(song: HiddenSong, genreName: string, title: string): Promise<boolean> {
    if (!(await send('PUT', song))) {
      toasts.show('Could not hide that song. Please try again.');
      return false;
    }
    const playing = engine.queue.list()?.hideFrom?.id === song.genreId;
    const removed = playing ? engine.removeSong(song.songId) : undefined;
    document.dispatchEvent(new CustomEvent<HiddenSong>(SONG_HIDDEN, { detail: song }));
    toasts.show(`Hidden from ${genreName}: “${title}” won't play there again.`, {
      label: 'Undo',
      name: `Undo: let “${title}” play in ${genreName} again`,
      async run() {
        if (!(await send('DELETE', song))) return toasts.show('Could not undo that. Hidden songs, in your account, can.');
        if (removed) engine.restoreSong(removed);
        document.dispatchEvent(new CustomEvent<HiddenSong>(SONG_RESTORED, { detail: song }));
        toasts.show(`“${title}” can play in ${genreName} again.`);
      },
    });
    return true;
  }

  takeOverForms('form[data-hide-form]', (form) => {
    const title = form.closest('li.track')?.querySelector('.track-title')?.textContent ?? 'That song';
    void hide({ songId: Number(form.dataset.songId), genreId: Number(form.dataset.genreId) }, form.dataset.genreName ?? 'this mood', title);
    return true;
  });

  return { hide };
}

/** The `x` key: hides the track playing from its mood, when that list is a mood's. */
export function hidePlaying(engine: Engine, hiding: Hiding, say: (text: string) => void): void {
  const list = engine.queue.list();
  const track: Track | undefined = engine.queue.track(engine.queue.current());
  if (!track || !list?.hideFrom) return;
  if (!csrfToken()) {
    say('Log in to hide songs from a mood.');
    return;
  }
  void hiding.hide({ songId: track.id, genreId: list.hideFrom.id }, list.hideFrom.name, track.title);
}
