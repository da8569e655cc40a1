// The walk goes on: when the list runs low, the next batch comes from the list's API with the
// cursor of the last one and is appended. One fetch at a time; a failed one just adds nothing.
import type { Queue } from './queue.js';
import type { PlaylistBatch } from './types.js';

/** Fetch the next batch when this few tracks are left after the one starting. */
const AHEAD = 3;

export interface Continuation {
  /** Fetches and appends the next batch (or joins the fetch in flight); true if it added tracks. */
  more(): Promise<boolean>;
  /** A track starts: keep a batch ahead so the next song never waits on the network. */
  keepAhead(index: number): void;
}

/** `radioOf()`: the batches are a radio's, which the server remembers for a logged-in listener. */
export function bindContinuation(queue: Queue, radioOf: () => boolean): Continuation {
  let fetching: Promise<boolean> | null = null;

  const fetchBatch = async (): Promise<boolean> => {
    const list = queue.list();
    const cursor = queue.cursor();
    if (!list?.api || cursor === null) return false;
    try {
      const response = await fetch(`${list.api}?cursor=${encodeURIComponent(cursor)}${radioOf() ? '&radio=1' : ''}`, {
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) return false;
      const batch = (await response.json()) as PlaylistBatch;
      // Another list was loaded meanwhile: this batch is not its.
      if (queue.list() !== list) return false;
      queue.setCursor(batch.cursor);
      // The server's walk never repeats a song until the whole list has played; then it starts anew.
      queue.append(batch.songs);
      return batch.songs.length > 0;
    } catch {
      return false;
    }
  };

  const more = (): Promise<boolean> => {
    fetching ??= fetchBatch().finally(() => {
      fetching = null;
    });
    return fetching;
  };

  return {
    more,
    keepAhead(index) {
      if (queue.length - index <= AHEAD) void more();
    },
  };
}
