// Which of the songs a batch drew it serves now: `want` of them in the walk's order, with no artist
// more often than the spacing allows (ARTIST_GAP tracks apart), or at least not above a share of
// the batch, where the genre allows. An artist's song over its limit is held back for a later
// batch (the cursor carries it), at most `holdCapacity` of them; so is any song drawn beyond `want`. A song of a later walk never passes one of an earlier walk (that would let a song
// repeat before the earlier walk is heard), so such a held song is served first, over its share.

/** At most this share of a batch by one artist, where the genre allows. */
export const ARTIST_SHARE = 0.3;

export interface Candidate<T> {
  song: T;
  /** Its number in the genre (row_id_per_genre). */
  row: number;
  /** Which walk drew it: 0 for the walk the batch began in (or earlier), then 1, 2… */
  walk: number;
  /** artistKey of its artist. */
  artist: string;
}

export interface Selection<T> {
  served: Candidate<T>[];
  held: Candidate<T>[];
}

/** Batches smaller than this have no artist share: 30% of a handful of songs is one song. */
export const SHARE_FROM = 10;

/** How many songs over their limit are a chance of the draw (held back), not the genre's shape (served). */
const CHANCE_EXCESS = 3;

/**
 * The most songs of this artist the batch serves, given how many of the first `want` candidates
 * are theirs: one that fits the spacing (gap songs apart) is held to that; one whose share rules
 * the spacing out, to ARTIST_SHARE of the batch.
 */
function limitFor(count: number, want: number, gap: number): { limit: number; share: boolean } {
  const spaced = Math.floor((want - 1) / (gap + 1)) + 1;
  if (count <= spaced + CHANCE_EXCESS - 1) return { limit: spaced, share: false };
  return { limit: Math.max(spaced, Math.floor(want * ARTIST_SHARE)), share: true };
}

/** One artist holds so much of the draw that the genre rules the share out: no artist is held back then. */
const dominant = (count: number, want: number) => count > Math.floor(want * ARTIST_SHARE) + CHANCE_EXCESS;

export function selectBatch<T>(candidates: readonly Candidate<T>[], want: number, holdCapacity: number, gap: number): Selection<T> {
  // How the batch would look served as drawn: what each artist's limit is follows from it.
  const drawn = new Map<string, number>();
  let most = 0;
  for (let i = 0; i < Math.min(want, candidates.length); i++) {
    const count = (drawn.get(candidates[i]!.artist) ?? 0) + 1;
    drawn.set(candidates[i]!.artist, count);
    if (count > most) most = count;
  }
  // The usual batch: no artist near any limit, so it is served as drawn.
  if (want < SHARE_FROM || most <= Math.floor((want - 1) / (gap + 1)) + 1) {
    return { served: candidates.slice(0, want), held: candidates.slice(want) };
  }
  // Holding others back would only hand their places to the dominant artist.
  const free = want < SHARE_FROM || [...drawn.values()].some((count) => dominant(count, want));
  const limits = new Map([...drawn].map(([artist, count]) => [artist, free ? { limit: want, share: false } : limitFor(count, want, gap)]));
  // Each artist may have its excess held back, and a little more for the replacements drawn.
  const budget = new Map([...drawn].map(([artist, count]) => [artist, Math.max(0, count - limits.get(artist)!.limit) + 2]));

  const served: Candidate<T>[] = [];
  const held: Candidate<T>[] = [];
  const counts = new Map<string, number>();
  const serve = (c: Candidate<T>) => {
    served.push(c);
    counts.set(c.artist, (counts.get(c.artist) ?? 0) + 1);
  };
  let deferred = 0;
  const deferredOf = new Map<string, number>();
  for (const [index, c] of candidates.entries()) {
    if (served.length >= want) {
      held.push(c); // drawn ahead: first in the next batch
      continue;
    }
    // Held songs of an earlier walk go before this one, over their artist's limit.
    while (held.length > 0 && held[0]!.walk < c.walk && served.length < want) {
      serve(held.shift()!);
      deferred -= 1;
    }
    if (served.length >= want) {
      held.push(c);
      continue;
    }
    // Held back only while it is a chance of the draw: the artist's excess and a little more, not
    // a stream of replacements by the same artist (then the genre's shape rules it out).
    // For the spacing, only while the songs already drawn can still fill the batch (it never costs
    // a statement); for the share, also when replacing them needs another.
    const limit = limits.get(c.artist) ?? { limit: want, share: false };
    const overLimit = (counts.get(c.artist) ?? 0) >= limit.limit;
    const replaceable = limit.share || candidates.length - index - 1 >= want - served.length;
    if (overLimit && replaceable && deferred < holdCapacity && (deferredOf.get(c.artist) ?? 0) < (budget.get(c.artist) ?? 0)) {
      held.push(c);
      deferred += 1;
      deferredOf.set(c.artist, (deferredOf.get(c.artist) ?? 0) + 1);
      continue;
    }
    serve(c);
  }
  return { served, held };
}

/** When the walk has nothing more to draw: the held songs fill the batch after all, in order. */
export function fillFromHeld<T>({ served, held }: Selection<T>, want: number): Selection<T> {
  const missing = Math.max(0, want - served.length);
  return { served: [...served, ...held.slice(0, missing)], held: held.slice(missing) };
}
