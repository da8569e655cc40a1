// What a shared link unfurls as (Open Graph and Twitter cards, in Discord, Slack, iMessage,
// Mastodon): one function per kind of page, from plain data and the absolute-URL function the
// route passes in (PUBLIC_URL, else the request's origin). views/partials/meta.ejs writes the tags.
import type { DrugWithMoods } from '../catalog/catalog.types.js';
import { drugPath, drugPreviewPath, type Genre, genreName, genrePath, genrePopularPath, genrePreviewPath } from '../catalog/genre.js';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from './preview-image.js';

export type AbsoluteUrl = (path: string) => string;

export interface PageMeta {
  title: string;
  description: string;
  /** The page's canonical absolute URL. */
  url: string;
  type: 'website' | 'music.playlist';
  image: { url: string; alt: string; width: number; height: number; type: 'image/png' };
}

interface SongLike {
  title: string;
  artist: string;
  id?: number;
  /** The song's own cover, when it has one. */
  cover?: string | null;
}

/** Room for a chat's two or three lines; unfurlers cut longer ones themselves, mid-word. */
const DESCRIPTION_MAX = 280;
const SONGS_NAMED = 3;

const slug = encodeURIComponent;
export const SITE_IMAGE = '/previews/site.png';
/** A song's card: its own cover on its drug's colours. */
const songImage = (id: number) => `/previews/songs/${id}.png`;

/** A list that opens with a song of its own cover unfurls as that song's card; otherwise as `fallback`. */
function openingImage(songs: readonly SongLike[], fallback: { image: string; alt: string }): { image: string; alt: string } {
  const first = songs[0];
  if (first?.id === undefined || !first.cover) return fallback;
  return { image: songImage(first.id), alt: `${first.title} by ${first.artist}, ${fallback.alt}` };
}

function clip(text: string, max = DESCRIPTION_MAX): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, max - 1).join('');
  return `${kept.trimEnd()}…`;
}

/** "A by X, B by Y, C by Z…": the first songs, and an ellipsis when more follow. */
const firstSongs = (songs: readonly SongLike[]) =>
  `${songs
    .slice(0, SONGS_NAMED)
    .map((s) => `${s.title} by ${s.artist}`)
    .join(', ')}${songs.length > SONGS_NAMED ? '…' : '.'}`;

function meta(
  absolute: AbsoluteUrl,
  page: { title: string; description: string; path: string; image: string; alt: string; type?: PageMeta['type'] },
): PageMeta {
  return {
    title: page.title,
    description: clip(page.description),
    url: absolute(page.path),
    type: page.type ?? 'website',
    image: { url: absolute(page.image), alt: page.alt, width: PREVIEW_WIDTH, height: PREVIEW_HEIGHT, type: 'image/png' },
  };
}

export const homeMeta = (drugs: readonly { name: string }[], absolute: AbsoluteUrl): PageMeta =>
  meta(absolute, {
    title: 'Stereodose: pick a drug, pick a mood',
    description: `${drugs.length ? `Pick a drug (${drugs.map((d) => d.name).join(', ')}), then a mood` : 'Pick a drug, then a mood'}, and a fresh random playlist starts playing.`,
    path: '/',
    image: SITE_IMAGE,
    alt: 'Stereodose: pick your dose',
  });

export const drugMeta = (drug: DrugWithMoods, absolute: AbsoluteUrl): PageMeta =>
  meta(absolute, {
    title: `${drug.name}: pick a mood`,
    description: [drug.description, drug.moods.length ? `Moods: ${drug.moods.map((m) => m.name).join(', ')}.` : 'No moods here yet.'].filter(Boolean).join(' '),
    path: drugPath(drug),
    image: drugPreviewPath(drug),
    alt: `${drug.name} on Stereodose`,
  });

/** The player: the genre's radio, or with `dose` the mix a listener shared (its canonical URL keeps the dose). */
export const genreMeta = ({ genre, dose, songs }: { genre: Genre; dose?: string; songs: readonly SongLike[] }, absolute: AbsoluteUrl): PageMeta =>
  meta(absolute, {
    title: `${genreName(genre)} — ${dose ? 'a shared mix' : 'a fresh random playlist'}`,
    description: dose
      ? songs.length
        ? `Opens with ${firstSongs(songs)}`
        : 'This mix has no songs yet.'
      : [genre.mood.description, 'A new random playlist every time you press play.'].filter(Boolean).join(' '),
    path: dose ? `${genrePath(genre)}?dose=${slug(dose)}` : genrePath(genre),
    // A shared mix is those songs: it shows the first one's cover when it has one.
    ...(dose
      ? openingImage(songs, { image: genrePreviewPath(genre), alt: `${genreName(genre)} on Stereodose` })
      : { image: genrePreviewPath(genre), alt: `${genreName(genre)} on Stereodose` }),
    type: 'music.playlist',
  });

/** A listener's public playlist; described in its own order, as its canonical URL plays it. */
export function sharedPlaylistMeta(
  { playlist, songs }: { playlist: { name: string; shareToken: string; ownerName: string }; songs: readonly (SongLike & { position: number })[] },
  absolute: AbsoluteUrl,
): PageMeta {
  const inOrder = [...songs].sort((a, b) => a.position - b.position);
  const count = `${songs.length} ${songs.length === 1 ? 'song' : 'songs'}`;
  return meta(absolute, {
    title: `${playlist.name} — a playlist by ${playlist.ownerName}`,
    description: songs.length ? `${count}, opening with ${firstSongs(inOrder)}` : 'This playlist has no songs yet.',
    path: `/shared/playlists/${slug(playlist.shareToken)}`,
    ...openingImage(inOrder, { image: SITE_IMAGE, alt: `${playlist.name} on Stereodose` }),
    type: 'music.playlist',
  });
}

/** The most favorited songs overall, or of one genre. */
export const popularMeta = ({ genre, songs }: { genre?: Genre; songs: readonly SongLike[] }, absolute: AbsoluteUrl): PageMeta =>
  meta(absolute, {
    title: genre ? `Most favorited in ${genreName(genre)}` : 'Most favorited on Stereodose',
    description: songs.length ? `The songs listeners love most, led by ${firstSongs(songs)}` : 'Nobody has favorited a song here yet.',
    path: genre ? genrePopularPath(genre) : '/popular',
    image: genre ? genrePreviewPath(genre) : SITE_IMAGE,
    alt: genre ? `${genreName(genre)} on Stereodose` : 'Stereodose: pick your dose',
  });
