// The list the dock plays: its source, its tracks and which one is loaded. Plain data with change
// notices, so whatever shows it (the full player of a page, the mini-player) can come and go with
// the pages while the list lives on.
import type { PlayList, Track } from './types.js';

export type QueueChange =
  | { type: 'load' }
  | { type: 'append'; from: number }
  | { type: 'prepend'; count: number }
  | { type: 'remove'; index: number }
  | { type: 'insert'; index: number }
  | { type: 'current'; index: number };

/** The list's description without its songs: those are the queue's own. */
export type QueueList = Omit<PlayList, 'songs'>;

export interface Queue {
  /** What is loaded, or null before anything was. */
  list(): QueueList | null;
  readonly length: number;
  track(index: number): Track | undefined;
  /** The tracks from this index on. */
  from(index: number): Track[];
  /** The index of the loaded track, -1 before the first. */
  current(): number;
  setCurrent(index: number): void;
  /** Replaces the list and its tracks; nothing is loaded yet. */
  load(list: QueueList, tracks: Track[]): void;
  append(tracks: Track[]): void;
  prepend(tracks: Track[]): void;
  /** Takes the song out; its index, or -1 when it was not there. */
  remove(songId: number): number;
  /** Puts a track back where it was (an undone hide). */
  insert(index: number, track: Track): void;
  /** Where the walk goes on from after the tracks fetched so far. */
  cursor(): string | null;
  setCursor(cursor: string | null): void;
  subscribe(listener: (change: QueueChange) => void, signal?: AbortSignal): void;
}

export function createQueue(): Queue {
  let list: QueueList | null = null;
  const tracks: Track[] = [];
  let current = -1;
  const listeners = new Set<(change: QueueChange) => void>();
  const emit = (change: QueueChange) => {
    for (const listener of listeners) listener(change);
  };

  return {
    list: () => list,
    get length() {
      return tracks.length;
    },
    track: (index) => tracks[index],
    from: (index) => tracks.slice(Math.max(0, index)),
    current: () => current,
    setCurrent(index) {
      current = index;
      emit({ type: 'current', index });
    },
    load(next, batch) {
      list = { ...next };
      tracks.splice(0, tracks.length, ...batch);
      current = -1;
      emit({ type: 'load' });
    },
    append(batch) {
      if (batch.length === 0) return;
      const from = tracks.length;
      tracks.push(...batch);
      emit({ type: 'append', from });
    },
    prepend(batch) {
      if (batch.length === 0) return;
      tracks.unshift(...batch);
      if (current >= 0) current += batch.length;
      emit({ type: 'prepend', count: batch.length });
    },
    remove(songId) {
      const index = tracks.findIndex((t) => t.id === songId);
      if (index < 0) return -1;
      tracks.splice(index, 1);
      // The loaded track itself: nothing is loaded at its place until the transport loads the next.
      if (index <= current) current -= 1;
      emit({ type: 'remove', index });
      return index;
    },
    insert(index, track) {
      const at = Math.min(Math.max(0, index), tracks.length);
      tracks.splice(at, 0, track);
      if (at <= current) current += 1;
      emit({ type: 'insert', index: at });
    },
    cursor: () => list?.cursor ?? null,
    setCursor(cursor) {
      if (list) list.cursor = cursor;
    },
    subscribe(listener, signal) {
      listeners.add(listener);
      signal?.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
  };
}
