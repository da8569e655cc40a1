// The listener's radio per genre, kept by this browser: after every track that really starts
// playing, where the walk goes on from and the songs already fetched but not yet heard, in
// localStorage. On the next visit a visitor's radio continues from there (the page showed a fresh
// batch; it is set aside). A logged-in listener's place is kept by the server, which continued the
// page from it; when this browser was the last to play that radio, the songs it had not heard yet
// come first again. A song hidden from the mood leaves the saved list at once, and the saved songs
// are checked with the server before they play again (gone from the mood, hidden elsewhere).
import type { PlayList, RadioData, Track } from './types.js';

interface SavedRadio {
  /** Where the walk goes on from after the songs below. */
  cursor: string;
  /** Fetched, not yet heard: they play first when the radio continues. */
  pending: Track[];
  /** "Weed · Groovin'", for the home page's "Continue your … radio". */
  name?: string;
  /** Date.now() when it was last saved. */
  savedAt?: number;
}

const PREFIX = 'stereodose.radio.';
const storageKey = (key: string) => `${PREFIX}${key}`;

function load(key: string): SavedRadio | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(key)) ?? 'null') as SavedRadio | null;
    return saved && typeof saved.cursor === 'string' && Array.isArray(saved.pending) ? saved : undefined;
  } catch {
    return undefined; // storage refused (private mode) or a value we did not write
  }
}

function store(key: string, saved: SavedRadio | undefined): void {
  try {
    if (saved) localStorage.setItem(storageKey(key), JSON.stringify(saved));
    else localStorage.removeItem(storageKey(key));
  } catch {
    // storage full or refused: the radio still plays, it just starts afresh next time
  }
}

/** At most this many songs are kept to play next (a listener's radio prepends them to each new batch). */
const MAX_PENDING = 100;

/** Remembers where the radio stands: `pending` are the songs after the one that just started. */
export function saveRadio(radio: Pick<RadioData, 'key' | 'name'>, cursor: string, pending: Track[]): void {
  store(radio.key, { cursor, pending: pending.slice(0, MAX_PENDING), name: radio.name, savedAt: Date.now() });
}

/** Takes a song out of the radio's saved list (it was hidden from the mood). */
export function dropFromSavedRadio(key: string, songId: number): void {
  const saved = load(key);
  if (saved?.pending.some((t) => t.id === songId)) store(key, { ...saved, pending: saved.pending.filter((t) => t.id !== songId) });
}

/** The radios this browser keeps, the most recently played first (the home page offers to continue them). */
export function savedRadios(): { key: string; name: string; savedAt: number }[] {
  const radios: { key: string; name: string; savedAt: number }[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (!name?.startsWith(PREFIX)) continue;
      const key = name.slice(PREFIX.length);
      const saved = load(key);
      if (saved?.name && saved.savedAt) radios.push({ key, name: saved.name, savedAt: saved.savedAt });
    }
  } catch {
    // storage refused
  }
  return radios.sort((a, b) => b.savedAt - a.savedAt);
}

/**
 * The page's list as this browser's saved radio continues it: for a visitor, the songs not heard
 * yet and the saved walk in place of the page's fresh batch; for a listener whose page continued
 * from the same place, those songs before the page's. `continued` says whether it did.
 */
export function continueRadio(page: PlayList, loggedIn: boolean): { list: PlayList; continued: boolean } {
  const radio = page.radio;
  if (!radio) return { list: page, continued: false };
  if (radio.fresh) {
    store(radio.key, undefined);
    return { list: page, continued: false };
  }
  const saved = load(radio.key);
  if (!saved) return { list: page, continued: false };
  if (!loggedIn) return { list: { ...page, songs: saved.pending, cursor: saved.cursor }, continued: true };
  if (radio.continuedFrom !== saved.cursor) return { list: page, continued: false };
  const pending = new Set(saved.pending.map((t) => t.id));
  return { list: { ...page, songs: [...saved.pending, ...page.songs.filter((t) => !pending.has(t.id))] }, continued: false };
}

/**
 * Of these saved songs, the ids that may still play in the genre (the server leaves out songs gone
 * from it and, for a listener, songs they hid); undefined when the server could not say.
 */
export async function stillPlayable(genre: string, songs: Track[]): Promise<Set<number> | undefined> {
  if (songs.length === 0) return new Set();
  try {
    const ids = songs.slice(0, 100).map((t) => t.id);
    const response = await fetch(`/api/playlists/${genre}/songs?ids=${ids.join('-')}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) return undefined;
    const { songs: kept } = (await response.json()) as { songs: Track[] };
    const playable = new Set(kept.map((t) => t.id));
    // Past the first hundred nothing was asked: keep them, the draws filter them when they come.
    for (const t of songs.slice(100)) playable.add(t.id);
    return playable;
  } catch {
    return undefined;
  }
}
