// The walk goes on: when the list runs low, the next batch comes from the playlist API with the
// cursor of the last one and is appended. One fetch at a time; a failed one just adds nothing.
import type { PlaylistBatch } from './playlist.types.js';
import type { Queue } from './queue.js';

/** Fetch the next batch when this few tracks are left after the one starting. */
const AHEAD = 3;

export interface Continuation {
  /** Fetches and appends the next batch (or joins the fetch in flight); true if it added tracks. */
  more(): Promise<boolean>;
  /** A track starts: keep a batch ahead so the next song never waits on the network. */
  keepAhead(index: number): void;
  /** Where the walk goes on from: after the last batch fetched. */
  cursor(): string;
  /** Goes on from this cursor instead (a radio continued from where the browser left it). */
  continueFrom(cursor: string): void;
}

/** `radio`: the batches are a radio's, which the server remembers for a logged-in listener. */
export function bindContinuation(api: string | null, firstCursor: string, queue: Pick<Queue, 'length' | 'append'>, radio = false): Continuation {
  let cursor = firstCursor;
  let fetching: Promise<boolean> | null = null;

  const fetchBatch = async (url: string): Promise<boolean> => {
    try {
      const response = await fetch(`${url}?cursor=${encodeURIComponent(cursor)}${radio ? '&radio=1' : ''}`, { headers: { Accept: 'application/json' } });
      if (!response.ok) return false;
      const batch = (await response.json()) as PlaylistBatch;
      cursor = batch.cursor;
      // The server's walk never repeats a song until the whole list has played; then it starts anew.
      queue.append(batch.songs);
      return batch.songs.length > 0;
    } catch {
      return false;
    }
  };

  const more = (): Promise<boolean> => {
    if (!api) return Promise.resolve(false);
    fetching ??= fetchBatch(api).finally(() => {
      fetching = null;
    });
    return fetching;
  };

  return {
    more,
    keepAhead(index) {
      if (queue.length - index <= AHEAD) void more();
    },
    cursor: () => cursor,
    continueFrom(next) {
      cursor = next;
    },
  };
}
