import { describe, expect, it } from 'vitest';
import { drugPath, drugPreviewPath, genreApiPath, genreEmbedPath, genreKey, genreName, genrePath, genrePopularPath, genrePreviewPath } from './genre.js';

const weed = { drug: { name: 'Weed', slug: 'weed' }, mood: { name: "Groovin'", slug: 'groovin' } };
const odd = { drug: { name: 'Drug', slug: 'a b' }, mood: { name: 'Mood', slug: 'x/y?' } };

describe('a genre', () => {
  it('when named, then its drug comes first, then its mood, with one separator', () => {
    expect(genreName(weed)).toBe("Weed · Groovin'");
  });

  it('when linked, then each page has its path', () => {
    expect(drugPath(weed.drug)).toBe('/playlist/weed');
    expect(genrePath(weed)).toBe('/playlist/weed/groovin');
    expect(genreApiPath(weed)).toBe('/api/playlists/weed/groovin');
    expect(genreEmbedPath(weed)).toBe('/embed/weed/groovin');
    expect(genrePreviewPath(weed)).toBe('/previews/weed/groovin.png');
    expect(drugPreviewPath(weed.drug)).toBe('/previews/weed.png');
    expect(genrePopularPath(weed)).toBe('/popular/weed/groovin');
  });

  it('when a slug holds characters a path cannot, then the paths encode them and the key does not', () => {
    expect(drugPath(odd.drug)).toBe('/playlist/a%20b');
    expect(genrePath(odd)).toBe('/playlist/a%20b/x%2Fy%3F');
    expect(genreApiPath(odd)).toBe('/api/playlists/a%20b/x%2Fy%3F');
    expect(genrePreviewPath(odd)).toBe('/previews/a%20b/x%2Fy%3F.png');
    expect(genreKey(odd)).toBe('a b/x/y?');
  });
});
