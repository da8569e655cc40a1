// A walk through a genre: the permutation's key (the "dose" token, shareable), the genre's size
// when the walk began, how far the walk has gone through those songs, and how many of the songs
// that joined the genre since then it has played. Encoded as one opaque, URL-safe string.

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
}

export const DOSE_PATTERN = /^[a-z0-9]{6,16}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newDose(random: () => number): string {
  let dose = '';
  for (let i = 0; i < 10; i++) dose += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return dose;
}

/** The start of a walk with this key over a genre of `size` songs. */
export const walkStart = (dose: string, size: number): WalkCursor => ({ dose, size, position: 0, low: size, joined: 0 });

/** `dose.size.position`, then `.joined` and `.low` when the genre has changed since the walk began. */
export function encodeCursor({ dose, size, position, low, joined }: WalkCursor): string {
  const base = `${dose}.${size.toString(36)}.${position.toString(36)}`;
  if (low < size) return `${base}.${joined.toString(36)}.${low.toString(36)}`;
  return joined > 0 ? `${base}.${joined.toString(36)}` : base; // an unchanged genre's cursor looks as it always did
}

/** The cursor, or undefined when the string is not one we made. */
export function decodeCursor(text: string): WalkCursor | undefined {
  const match = /^([a-z0-9]{6,16})\.([0-9a-z]{1,7})\.([0-9a-z]{1,7})(?:\.([0-9a-z]{1,7})(?:\.([0-9a-z]{1,7}))?)?$/.exec(text);
  if (!match) return undefined;
  const size = parseInt(match[2]!, 36);
  const position = parseInt(match[3]!, 36);
  const joined = match[4] === undefined ? 0 : parseInt(match[4], 36);
  const low = match[5] === undefined ? size : parseInt(match[5], 36);
  if (position > size || low > size) return undefined;
  return { dose: match[1]!, size, position, low, joined };
}
