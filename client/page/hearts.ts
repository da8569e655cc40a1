// Hearts without leaving the page: the server renders a plain form per song (which works without
// JavaScript); here it becomes a fetch to PUT/DELETE /api/favorites/:id with the CSRF header. What
// this browser learned of each song's heart is kept for the visit, so a row drawn later — the
// same song in another list, on another page — shows it as it is now.
import { csrfToken, sendWithCsrf } from '../csrf.js';
import { takeOverForms } from './forms.js';
import type { Track } from '../engine/types.js';

interface HeartState {
  favorited: boolean;
  count: number;
}

const known = new Map<number, HeartState>();

/** The page's own word on its songs (a listener's page data says which they love). */
export function rememberHearts(songs: Track[]): void {
  for (const song of songs) if (song.favorited !== undefined) known.set(song.id, { favorited: song.favorited, count: song.favoriteCount });
}

function show(button: HTMLElement, { favorited, count }: HeartState): void {
  button.setAttribute('aria-pressed', String(favorited));
  const counter = button.querySelector('[data-favorite-count]');
  if (counter) counter.textContent = String(count);
  // Without the script the form posts where the server pointed it (both ways are on the form).
  const form = button.closest('form');
  const action = favorited ? form?.dataset.unloveAction : form?.dataset.loveAction;
  if (form && action) form.action = action;
}

/** Shows the heart of this row as this browser knows it (or as the track says). */
export function applyHeartState(row: ParentNode, track: Track): void {
  const state = known.get(track.id) ?? (track.favorited === undefined ? undefined : { favorited: track.favorited, count: track.favoriteCount });
  const button = row.querySelector<HTMLElement>('form[data-favorite-form] .heart');
  if (state && button) show(button, state);
}

const heartsOf = (songId: number) => document.querySelectorAll<HTMLButtonElement>(`form[data-favorite-form][data-song-id="${songId}"] .heart`);

/** Loves or unloves the song; every heart of it on the page follows. */
export async function toggleFavorite(songId: number, say: (text: string) => void): Promise<void> {
  const token = csrfToken();
  if (!token) return say('Log in to keep your favorites.');
  const buttons = [...heartsOf(songId)];
  const loved = known.get(songId)?.favorited ?? buttons[0]?.getAttribute('aria-pressed') === 'true';
  for (const b of buttons) b.disabled = true;
  try {
    const response = await sendWithCsrf(`/api/favorites/${songId}`, loved ? 'DELETE' : 'PUT', { token });
    if (!response) throw new Error('not saved');
    const result = (await response.json()) as { favorited: boolean; favoriteCount: number };
    const state = { favorited: result.favorited, count: result.favoriteCount };
    known.set(songId, state);
    for (const b of heartsOf(songId)) show(b, state);
    say(result.favorited ? 'Added to your favorites.' : 'Removed from your favorites.');
  } catch {
    say('Could not save that favorite. Please try again.');
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** Every heart form on every page, from now on. */
export function bindHearts(say: (text: string) => void): void {
  takeOverForms('form[data-favorite-form]', (form) => {
    void toggleFavorite(Number(form.dataset.songId), say);
    return true;
  });
}
