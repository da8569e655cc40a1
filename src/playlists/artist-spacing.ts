// Within a batch, no artist plays twice in a row when that can be avoided. The walk's order is
// kept wherever possible: each step takes the earliest song that is by another artist and still
// leaves the rest arrangeable.

interface HasArtist {
  artist: string;
}

export function spaceArtists<T extends HasArtist>(songs: readonly T[], previousArtist?: string): T[] {
  const rest = [...songs];
  // Songs left per artist, kept up to date as songs are taken (the draw's hot path: no rebuilding).
  const left = new Map<string, number>();
  for (const song of rest) left.set(song.artist, (left.get(song.artist) ?? 0) + 1);
  const out: T[] = [];
  let previous = previousArtist;
  // The most songs any one artist has left. While that is at most half of what remains after the
  // next pick, every choice leaves the rest arrangeable, and the earliest other artist's song is
  // the answer without checking: a batch of mostly different artists never pays for the check.
  // Counts only fall, so this stays an upper bound until it is worked out again.
  let most = Math.max(0, ...left.values());
  while (rest.length > 0) {
    if (most * 2 > rest.length - 1) most = Math.max(0, ...left.values());
    const index = most * 2 <= rest.length - 1 ? firstNotBy(rest, previous) : pickNext(rest, previous, left);
    const [song] = rest.splice(index, 1);
    left.set(song!.artist, left.get(song!.artist)! - 1);
    out.push(song!);
    previous = song!.artist;
  }
  return out;
}

function firstNotBy(rest: readonly HasArtist[], artist: string | undefined): number {
  const index = rest.findIndex((song) => song.artist !== artist);
  return Math.max(index, 0);
}

function pickNext<T extends HasArtist>(rest: readonly T[], previous: string | undefined, left: Map<string, number>): number {
  let fallback = -1;
  const tried = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const artist = rest[i]!.artist;
    if (artist === previous || tried.has(artist)) continue; // the answer depends on the artist only
    tried.add(artist);
    if (fallback < 0) fallback = i;
    if (arrangeableAfter(left, rest.length - 1, artist)) return i;
  }
  return Math.max(fallback, 0);
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
