// The order of a batch: no artist twice in a row when that can be avoided, and no artist within
// the last few tracks (ARTIST_GAP, across batches too: the cursor remembers the last artists) as
// far as the batch allows. Each step takes, among the choices that keep the rest arrangeable
// without back-to-back repeats, an artist not heard lately, the one with the most songs left
// (the hardest to space), the earliest in the walk's order on ties.

/** No artist again within this many tracks, where the batch allows. */
export const ARTIST_GAP = 5;

interface HasArtist {
  artist: string;
}

/** `recent`: the artists of the tracks just before this batch, oldest first. */
export function spaceArtists<T extends HasArtist>(songs: readonly T[], recent: readonly string[] = [], gap = ARTIST_GAP): T[] {
  const rest = [...songs];
  // Songs left per artist, kept up to date as songs are taken (the draw's hot path: no rebuilding).
  const left = new Map<string, number>();
  for (const song of rest) left.set(song.artist, (left.get(song.artist) ?? 0) + 1);
  // The usual batch of a big genre: every artist once, none of them among the last few. As drawn.
  const window = recent.slice(-gap);
  if (left.size === rest.length && !rest.some((song) => window.includes(song.artist))) return rest;
  const out: T[] = [];
  // When each artist last played, counted in tracks (the recent ones before this batch: below 0).
  const lastPlayed = new Map<string, number>();
  for (const [i, artist] of recent.entries()) lastPlayed.set(artist, i - recent.length);
  let previous = recent.at(-1);
  // The most songs any one artist has left. While that is at most half of what remains after the
  // next pick, every choice leaves the rest arrangeable without back-to-back repeats, and no check
  // is needed: a batch of mostly different artists never pays for it. Counts only fall, so this
  // stays an upper bound until it is worked out again.
  let most = Math.max(0, ...left.values());
  for (let step = 0; rest.length > 0; step++) {
    if (most * 2 > rest.length - 1) most = Math.max(0, ...left.values());
    const safe = most * 2 <= rest.length - 1;
    const index = pick(rest, { step, gap, previous, lastPlayed, left, most, checkArrangeable: !safe });
    const [song] = rest.splice(index, 1);
    left.set(song!.artist, left.get(song!.artist)! - 1);
    out.push(song!);
    lastPlayed.set(song!.artist, step);
    previous = song!.artist;
  }
  return out;
}

interface PickState {
  step: number;
  gap: number;
  previous: string | undefined;
  lastPlayed: ReadonlyMap<string, number>;
  left: ReadonlyMap<string, number>;
  /** At least the most songs any artist has left. */
  most: number;
  /** One artist holds about half of what remains: only choices that keep the rest arrangeable. */
  checkArrangeable: boolean;
}

/**
 * Among artists other than the previous one (and only choices that keep the rest arrangeable
 * without back-to-back repeats, when that needs checking): one not heard in the last `gap`
 * tracks, the one with the most songs left (they are the hardest to space), earliest on ties;
 * else the one heard longest ago; when no choice keeps the rest free of repeats, the one with the
 * most songs left; else (only the previous artist is left) the first song.
 */
function pick<T extends HasArtist>(rest: readonly T[], { step, gap, previous, lastPlayed, left, most, checkArrangeable }: PickState): number {
  let best = -1;
  let bestRank = -Infinity;
  let fallback = -1;
  const tried = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const artist = rest[i]!.artist;
    if (artist === previous || tried.has(artist)) continue; // the answer depends on the artist only
    tried.add(artist);
    const songsLeft = left.get(artist)!;
    if (fallback < 0 || songsLeft > left.get(rest[fallback]!.artist)!) fallback = i;
    if (checkArrangeable && !arrangeableAfter(left, rest.length - 1, artist)) continue;
    // Not heard lately ranks above any heard lately; then more songs left; then heard longer ago.
    const heardAgo = step - (lastPlayed.get(artist) ?? -Infinity);
    const rank = heardAgo > gap ? songsLeft : heardAgo - gap - 1;
    // The earliest song of an artist with the most songs left, not heard lately, is the answer.
    if (rank >= most) return i;
    if (rank > bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return Math.max(best >= 0 ? best : fallback, 0);
}

/** With one song by `justPlayed` taken, can the `remaining` others be ordered with no artist twice in a row? */
function arrangeableAfter(left: ReadonlyMap<string, number>, remaining: number, justPlayed: string): boolean {
  for (const [artist, songs] of left) {
    const count = artist === justPlayed ? songs - 1 : songs;
    // The artist who just played cannot go first, so it has one slot fewer.
    const slots = artist === justPlayed ? Math.floor(remaining / 2) : Math.ceil(remaining / 2);
    if (count > slots) return false;
  }
  return true;
}
