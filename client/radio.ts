// The listener's radio per genre, kept by this browser: after every track that starts, where the
// walk goes on from and the songs already fetched but not yet heard, in localStorage. On the next
// visit a visitor's radio continues from there (the page showed a fresh batch; it is set aside).
// A logged-in listener's place is kept by the server, which continued the page from it; when this
// browser was the last to play that radio, the songs it had not heard yet come first again.
import type { Continuation } from './continuation.js';
import type { RadioData, Track } from './playlist.types.js';
import type { Queue } from './queue.js';

interface SavedRadio {
  /** Where the walk goes on from after the songs below. */
  cursor: string;
  /** Fetched, not yet heard: they play first when the radio continues. */
  pending: Track[];
}

const storageKey = (radio: RadioData) => `stereodose.radio.${radio.key}`;

function load(radio: RadioData): SavedRadio | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(radio)) ?? 'null') as SavedRadio | null;
    return saved && typeof saved.cursor === 'string' && Array.isArray(saved.pending) ? saved : undefined;
  } catch {
    return undefined; // storage refused (private mode) or a value we did not write
  }
}

function store(radio: RadioData, saved: SavedRadio | undefined): void {
  try {
    if (saved) localStorage.setItem(storageKey(radio), JSON.stringify(saved));
    else localStorage.removeItem(storageKey(radio));
  } catch {
    // storage full or refused: the radio still plays, it just starts afresh next time
  }
}

/** The title above the controls names the radio's next song (nothing is playing yet). */
function showFirst(root: HTMLElement, track: Track | undefined): void {
  if (!track) return;
  root.querySelector('[data-now-title]')!.textContent = track.title;
  root.querySelector('[data-now-artist]')!.textContent = track.artist;
}

export interface Radio {
  /** A track starts: remember what is left to hear after it. */
  started(index: number): void;
}

/** `loggedIn`: the server keeps this listener's place too. */
export function bindRadio(radio: RadioData, root: HTMLElement, queue: Queue, continuation: Continuation, loggedIn: boolean): Radio {
  const note = root.querySelector<HTMLElement>('[data-radio-note]');
  const saved = load(radio);
  if (radio.fresh) {
    store(radio, undefined);
    // A reload from here on continues this new radio instead of starting yet another.
    const url = new URL(location.href);
    url.searchParams.delete('fresh');
    history.replaceState(history.state, '', url);
  } else if (saved && !loggedIn) {
    queue.replace(saved.pending);
    continuation.continueFrom(saved.cursor);
    if (note) note.hidden = false;
    showFirst(root, queue.track(0));
  } else if (saved && loggedIn && radio.continuedFrom === saved.cursor) {
    queue.prepend(saved.pending);
  }

  const remember = (index: number) => store(radio, { cursor: continuation.cursor(), pending: queue.from(index + 1) });
  remember(-1); // a visit that plays nothing still leaves the radio where this page put it
  return { started: remember };
}
