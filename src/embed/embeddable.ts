// Which pages other sites may embed, and how a page, its embed and an oEmbed request name each
// other. The one place that knows: the embed routes, the oEmbed answer and the discovery links all
// read it.
import { DOSE_PATTERN } from '../playlists/cursor.js';

export type Embeddable = { kind: 'genre'; drug: string; mood: string; dose?: string } | { kind: 'shared-playlist'; token: string };

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const GENRE_PAGE = new RegExp(`^/(?:playlist|embed)/(${SLUG})/(${SLUG})/?$`);
const SHARED_PAGE = /^\/(?:embed\/)?shared\/playlists\/([A-Za-z0-9_-]{16,32})\/?$/;

/** The embeddable thing a page's path and query name (its page or its embed), or undefined. */
export function embeddableAt(pathname: string, query: URLSearchParams): Embeddable | undefined {
  const genre = GENRE_PAGE.exec(pathname);
  if (genre) {
    const dose = query.get('dose') ?? undefined;
    if (dose !== undefined && !DOSE_PATTERN.test(dose)) return undefined;
    return { kind: 'genre', drug: genre[1]!, mood: genre[2]!, ...(dose && { dose }) };
  }
  const shared = SHARED_PAGE.exec(pathname);
  return shared ? { kind: 'shared-playlist', token: shared[1]! } : undefined;
}

const withDose = (path: string, dose: string | undefined) => (dose ? `${path}?dose=${encodeURIComponent(dose)}` : path);

/** Where the thing plays on Stereodose itself. */
export function pagePathOf(target: Embeddable): string {
  return target.kind === 'genre' ? withDose(`/playlist/${target.drug}/${target.mood}`, target.dose) : `/shared/playlists/${target.token}`;
}

/** Where its compact player is, for an iframe. */
export function embedPathOf(target: Embeddable): string {
  return target.kind === 'genre' ? withDose(`/embed/${target.drug}/${target.mood}`, target.dose) : `/embed/shared/playlists/${target.token}`;
}

/** The size an embed has unless the consumer asks for less. */
export const EMBED_SIZE = { width: 480, height: 200 } as const;

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The iframe another site pastes (or gets from oEmbed); `src` is the embed's absolute URL. */
export function iframeSnippet(src: string, title: string, { width, height }: { width: number; height: number } = EMBED_SIZE): string {
  return (
    `<iframe src="${escapeAttribute(src)}" width="${width}" height="${height}" title="${escapeAttribute(`Stereodose: ${title}`)}" ` +
    `loading="lazy" allow="autoplay" style="border:0;max-width:100%"></iframe>`
  );
}
