// A walk through a genre: the permutation's key (the "dose" token, shareable), the genre's size
// when the walk began, how far the walk has gone through those songs, and how many of the songs
// that joined the genre since then it has played; and what the next batch needs from the last:
// its last artists, the numbers it drew but held back, how many to draw ahead. Encoded as one
// opaque, URL-safe string.
import { FNV_OFFSET, FNV_PRIME, hashString, mix32 } from '../random.js';

export interface WalkCursor {
  dose: string;
  /** N when the walk started: its permutation is over the rows 1..size. */
  size: number;
  /** The next position of the permutation to play. */
  position: number;
  /**
   * The fewest songs the genre has had since the walk began (as its batches saw it). Rows above
   * it hold songs that joined since, or none: the walk takes them as newcomers, not from `size`.
   */
  low: number;
  /**
   * Newcomers played: the rows above `low` play in the order they joined, each at a random place
   * among what is left, so the next one is low + joined + 1.
   */
  joined: number;
  /** Keys of the artists of the last tracks served (artistKey), oldest first: the next batch spaces from them. */
  recent: string[];
  /** Numbers drawn but not served yet (held back by the artist quota, or drawn ahead): they come first next. */
  held: number[];
  /** Of `held`, how many (the first ones) an earlier walk drew: they go before this walk's songs. */
  heldOlder: number;
  /** How many numbers beyond the need to draw up front: last batch's misses (hidden songs, removals). */
  spare: number;
}

/**
 * A short key for an artist, for a cursor to remember who played last: a hash of the name with
 * case (and, beyond ASCII, Unicode composition) folded away. It runs for every song of every
 * draw, so ASCII names — nearly all — are folded and hashed in one pass with no new string; the
 * result is the same as hashing the folded name (`hashString(name.normalize('NFC').toLowerCase())`).
 */
export function artistKey(artist: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < artist.length; i++) {
    let code = artist.charCodeAt(i);
    if (code > 0x7f) return shortKey(hashString(artist.normalize('NFC').toLowerCase()));
    if (code >= 0x41 && code <= 0x5a) code += 0x20; // A-Z → a-z
    h = Math.imul(h ^ code, FNV_PRIME);
  }
  return shortKey(mix32(h));
}

const shortKey = (hash: number) => (hash >>> 8).toString(36);

export const DOSE_PATTERN = /^[a-z0-9]{6,16}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newDose(random: () => number): string {
  let dose = '';
  for (let i = 0; i < 10; i++) dose += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return dose;
}

/** The start of a walk with this key over a genre of `size` songs. */
export const walkStart = (dose: string, size: number): WalkCursor => ({
  dose,
  size,
  position: 0,
  low: size,
  joined: 0,
  recent: [],
  held: [],
  heldOlder: 0,
  spare: 0,
});

const list = (items: readonly (string | number)[]) => items.map((x) => (typeof x === 'number' ? x.toString(36) : x)).join('-');

/**
 * `dose.size.position`, then `.joined` and `.low` when the genre has changed since the walk began,
 * then `~recent~held~heldOlder~spare` once a batch has been served.
 */
export function encodeCursor({ dose, size, position, low, joined, recent, held, heldOlder, spare }: WalkCursor): string {
  let walk = `${dose}.${size.toString(36)}.${position.toString(36)}`;
  if (low < size) walk += `.${joined.toString(36)}.${low.toString(36)}`;
  else if (joined > 0) walk += `.${joined.toString(36)}`;
  if (recent.length === 0 && held.length === 0 && spare === 0) return walk;
  return `${walk}~${list(recent)}~${list(held)}~${heldOlder.toString(36)}~${spare.toString(36)}`;
}

/** The cursor, or undefined when the string is not one we made. */
export function decodeCursor(text: string): WalkCursor | undefined {
  const match =
    /^([a-z0-9]{6,16})\.([0-9a-z]{1,7})\.([0-9a-z]{1,7})(?:\.([0-9a-z]{1,7})(?:\.([0-9a-z]{1,7}))?)?(?:~((?:[0-9a-z]{1,6}(?:-[0-9a-z]{1,6}){0,9})?)~((?:[0-9a-z]{1,7}(?:-[0-9a-z]{1,7}){0,29})?)~([0-9a-z]{1,2})~([0-9a-z]{1,2}))?$/.exec(
      text,
    );
  if (!match) return undefined;
  const size = parseInt(match[2]!, 36);
  const position = parseInt(match[3]!, 36);
  const joined = match[4] === undefined ? 0 : parseInt(match[4], 36);
  const low = match[5] === undefined ? size : parseInt(match[5], 36);
  if (position > size || low > size) return undefined;
  const recent = match[6] ? match[6].split('-') : [];
  const held = match[7] ? match[7].split('-').map((n) => parseInt(n, 36)) : [];
  const heldOlder = match[8] === undefined ? 0 : Math.min(parseInt(match[8], 36), held.length);
  const spare = match[9] === undefined ? 0 : parseInt(match[9], 36);
  return { dose: match[1]!, size, position, low, joined, recent, held, heldOlder, spare };
}
