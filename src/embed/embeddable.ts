// Which pages other sites may embed, and how a page, its embed and an oEmbed request name each
// other. The one place that knows: the embed routes, the oEmbed answer and the discovery links all
// read it.
import { genreEmbedPath, genrePath } from '../catalog/genre.js';
import { DOSE_PATTERN } from '../playlists/cursor.js';
import { songIdList } from '../playlists/playlist.schemas.js';
import { escapeMarkup } from '../lib/markup.js';

/**
 * A genre's radio, or a mix of it: the walk of a `dose`, or exactly `songs` followed by the walk
 * of `cursor` (a list shared as it played); or a listener's shared playlist.
 */
export type Embeddable =
  | { kind: 'genre'; drug: string; mood: string; dose?: string; songs?: number[]; cursor?: string }
  | { kind: 'shared-playlist'; token: string };

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const GENRE_PAGE = new RegExp(`^/(?:playlist|embed)/(${SLUG})/(${SLUG})/?$`);
const SHARED_PAGE = /^\/(?:embed\/)?shared\/playlists\/([A-Za-z0-9_-]{16,32})\/?$/;

/** The embeddable thing a page's path and query name (its page or its embed), or undefined. */
export function embeddableAt(pathname: string, query: URLSearchParams): Embeddable | undefined {
  const genre = GENRE_PAGE.exec(pathname);
  if (genre) {
    const dose = query.get('dose') ?? undefined;
    if (dose !== undefined && !DOSE_PATTERN.test(dose)) return undefined;
    const listed = query.has('songs') ? songIdList.safeParse(query.get('songs')) : undefined;
    if (listed && !listed.success) return undefined;
    const cursor = query.get('cursor') ?? undefined;
    return { kind: 'genre', drug: genre[1]!, mood: genre[2]!, ...(dose && { dose }), ...(listed && { songs: listed.data }), ...(cursor && { cursor }) };
  }
  const shared = SHARED_PAGE.exec(pathname);
  return shared ? { kind: 'shared-playlist', token: shared[1]! } : undefined;
}

/** The genre's path with what names its mix: songs, cursor and dose, as given. */
function withMix(path: string, { dose, songs, cursor }: { dose?: string; songs?: number[]; cursor?: string }): string {
  const query = new URLSearchParams();
  if (songs) query.set('songs', songs.join('-'));
  if (cursor) query.set('cursor', cursor);
  if (dose) query.set('dose', dose);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

const slugsOf = ({ drug, mood }: { drug: string; mood: string }) => ({ drug: { slug: drug }, mood: { slug: mood } });

/** Where the thing plays on Stereodose itself. */
export function pagePathOf(target: Embeddable): string {
  return target.kind === 'genre' ? withMix(genrePath(slugsOf(target)), target) : `/shared/playlists/${target.token}`;
}

/** Where its compact player is, for an iframe. */
export function embedPathOf(target: Embeddable): string {
  return target.kind === 'genre' ? withMix(genreEmbedPath(slugsOf(target)), target) : `/embed/shared/playlists/${target.token}`;
}

/** The size an embed has unless the consumer asks for less. */
export const EMBED_SIZE = { width: 480, height: 200 } as const;

/** The iframe another site pastes (or gets from oEmbed); `src` is the embed's absolute URL. */
export function iframeSnippet(src: string, title: string, { width, height }: { width: number; height: number } = EMBED_SIZE): string {
  return (
    `<iframe src="${escapeMarkup(src)}" width="${width}" height="${height}" title="${escapeMarkup(`Stereodose: ${title}`)}" ` +
    `loading="lazy" allow="autoplay" style="border:0;max-width:100%"></iframe>`
  );
}
