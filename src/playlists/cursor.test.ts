import { describe, expect, it } from 'vitest';
import { hashString } from '../random.js';
import { artistKey } from './cursor.js';

// The key cursors carry: it must not change for names already in listeners' cursors.
const foldedKey = (name: string) => (hashString(name.normalize('NFC').toLowerCase()) >>> 8).toString(36);

describe('artistKey', () => {
  it.each(['Bench artist 42', 'The Beatles', 'AC/DC', 'mØ', 'Sigur Rós', 'Beyonce\u0301', 'Beyoncé', '', 'ZZ Top 2'])(
    'when the name is %j, then the key is the hash of the case-folded, composed name',
    (name) => {
      expect(artistKey(name)).toBe(foldedKey(name));
    },
  );

  it('when two names differ only in case or composition, then they share a key', () => {
    expect(artistKey('THE BEATLES')).toBe(artistKey('the beatles'));
    expect(artistKey('Beyonce\u0301')).toBe(artistKey('Beyoncé'));
    expect(artistKey('The Beatles')).not.toBe(artistKey('The Beat'));
  });
});
