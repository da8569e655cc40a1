// A walk through a genre: the permutation's key (the "dose" token, shareable), the genre's size
// when the walk began, and the next position. Encoded as one opaque, URL-safe string.

export interface WalkCursor {
  dose: string;
  /** N when the walk started: the walk is over the genre as it was then. */
  size: number;
  /** The next position of the permutation to play. */
  position: number;
}

export const DOSE_PATTERN = /^[a-z0-9]{6,16}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newDose(random: () => number): string {
  let dose = '';
  for (let i = 0; i < 10; i++) dose += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return dose;
}

export function encodeCursor({ dose, size, position }: WalkCursor): string {
  return `${dose}.${size.toString(36)}.${position.toString(36)}`;
}

/** The cursor, or undefined when the string is not one we made. */
export function decodeCursor(text: string): WalkCursor | undefined {
  const match = /^([a-z0-9]{6,16})\.([0-9a-z]{1,7})\.([0-9a-z]{1,7})$/.exec(text);
  if (!match) return undefined;
  const size = parseInt(match[2]!, 36);
  const position = parseInt(match[3]!, 36);
  if (size < 0 || position < 0 || position > size) return undefined;
  return { dose: match[1]!, size, position };
}
