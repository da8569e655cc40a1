// Within a batch, no artist plays twice in a row when that can be avoided. The walk's order is
// kept wherever possible: each step takes the earliest song that is by another artist and still
// leaves the rest arrangeable.

interface HasArtist {
  artist: string;
}

export function spaceArtists<T extends HasArtist>(songs: readonly T[], previousArtist?: string): T[] {
  const rest = [...songs];
  const out: T[] = [];
  let previous = previousArtist;
  while (rest.length > 0) {
    const index = pickNext(rest, previous);
    const [song] = rest.splice(index, 1);
    out.push(song!);
    previous = song!.artist;
  }
  return out;
}

function pickNext<T extends HasArtist>(rest: readonly T[], previous: string | undefined): number {
  let fallback = -1;
  for (let i = 0; i < rest.length; i++) {
    const artist = rest[i]!.artist;
    if (artist === previous) continue;
    if (fallback < 0) fallback = i;
    if (arrangeableAfter(rest, i)) return i;
  }
  return fallback >= 0 ? fallback : 0;
}

/** Can the songs left after taking rest[taken] be ordered with no artist twice in a row? */
function arrangeableAfter<T extends HasArtist>(rest: readonly T[], taken: number): boolean {
  const counts = new Map<string, number>();
  rest.forEach((song, i) => {
    if (i !== taken) counts.set(song.artist, (counts.get(song.artist) ?? 0) + 1);
  });
  const left = rest.length - 1;
  const justPlayed = rest[taken]!.artist;
  for (const [artist, count] of counts) {
    // The artist who just played cannot go first, so it has one slot fewer.
    const slots = artist === justPlayed ? Math.floor(left / 2) : Math.ceil(left / 2);
    if (count > slots) return false;
  }
  return true;
}
