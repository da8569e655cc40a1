// The list of tracks and its rows: the server-rendered rows become playable, batches the
// continuation fetches are appended as new rows, and the playing row is marked current.
import { enhanceHearts, heartButton } from './favorites.js';
import type { Track } from './playlist.types.js';

export interface Queue {
  readonly length: number;
  /** The track at this index, or undefined past either end. */
  track(index: number): Track | undefined;
  /** Adds rows for these tracks at the end of the list. */
  append(tracks: Track[]): void;
  /** Adds rows for these tracks before the first one. */
  prepend(tracks: Track[]): void;
  /** The tracks from this index on. */
  from(index: number): Track[];
  /** Replaces every row with rows for these tracks. */
  replace(tracks: Track[]): void;
  /** Takes the track out of the list; its index, or -1 when it was not there. */
  remove(songId: number): number;
  markCurrent(index: number): void;
  row(index: number): Element | undefined;
  /** What a click on a row does: play it. */
  onPick(handler: (index: number) => void): void;
}

/** `notify` says the hearts' results; `extraAction` gives a row the player adds its other control (hide). */
export function bindQueue(list: HTMLOListElement, songs: Track[], notify: (text: string) => void, extraAction?: (track: Track) => HTMLElement | null): Queue {
  const tracks: Track[] = [...songs];
  let pick = (_index: number) => {};
  const rows = () => list.querySelectorAll<HTMLLIElement>('li.track');

  // Each row's title becomes a button that plays it; a click anywhere else on the row does too,
  // except on the row's own controls (heart, add-to-playlist).
  const enhanceRow = (li: HTMLLIElement, index: number) => {
    li.querySelector('audio')?.remove();
    const title = li.querySelector('.track-title')!;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'track-title';
    button.textContent = title.textContent;
    title.replaceWith(button);
    li.dataset.index = String(index);
    // The row's place when clicked: rows may have been put before it since.
    li.addEventListener('click', (e) => {
      if (!(e.target as Element).closest('form, a, select, .track-actions button')) pick([...rows()].indexOf(li));
    });
  };

  const rowFor = (track: Track, index: number) => {
    const li = document.createElement('li');
    li.className = 'track';
    li.dataset.songId = String(track.id);
    const title = document.createElement('span');
    title.className = 'track-title';
    title.textContent = track.title;
    const artist = document.createElement('span');
    artist.className = 'track-artist';
    artist.textContent = track.artist;
    li.append(title, artist);
    const heart = heartButton(track.id, track.favoriteCount, track.title, notify);
    const extra = extraAction?.(track);
    if (heart && extra) heart.append(extra);
    if (heart) li.append(heart);
    enhanceRow(li, index);
    return li;
  };
  const renumber = () => {
    for (const [i, li] of rows().entries()) li.dataset.index = String(i);
  };

  enhanceHearts(list, notify);
  for (const [i, li] of rows().entries()) enhanceRow(li, i);

  return {
    get length() {
      return tracks.length;
    },
    track: (index) => tracks[index],
    append(batch) {
      for (const track of batch) {
        list.append(rowFor(track, tracks.length));
        tracks.push(track);
      }
    },
    prepend(batch) {
      list.prepend(...batch.map((track, i) => rowFor(track, i)));
      tracks.unshift(...batch);
      renumber();
    },
    from: (index) => tracks.slice(index),
    replace(batch) {
      list.replaceChildren();
      tracks.length = 0;
      this.append(batch);
    },
    remove(songId) {
      const index = tracks.findIndex((t) => t.id === songId);
      if (index < 0) return -1;
      tracks.splice(index, 1);
      rows()[index]?.remove();
      renumber();
      return index;
    },
    markCurrent(index) {
      rows().forEach((li, i) => {
        li.classList.toggle('current', i === index);
        if (i === index) li.setAttribute('aria-current', 'true');
        else li.removeAttribute('aria-current');
      });
    },
    row: (index) => rows()[index],
    onPick(handler) {
      pick = handler;
    },
  };
}
