// The embeddable players (/embed/…), framable by any site and needing no session, the oEmbed
// endpoint that hands out their iframe, and the discovery link and "Embed" snippet on the pages
// they embed.
import { type Request, type RequestHandler, Router } from 'express';
import { toApiSong } from '../catalog/catalog.types.js';
import type { Config } from '../config.js';
import { AppError, NotFound } from '../lib/errors.js';
import type { PublicUrl } from '../http/public-url.js';
import { framableAnywhere } from '../http/security-headers.js';
import { parse } from '../http/validate.js';
import { genrePreviewPath } from '../catalog/genre.js';
import { SITE_IMAGE } from '../previews/page-meta.js';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from '../previews/preview-image.js';
import { EMBED_SIZE, type Embeddable, embeddableAt, embedPathOf, iframeSnippet, pagePathOf } from './embeddable.js';
import { oembedQuery } from './embed.schemas.js';
import type { EmbedService } from './embed.service.js';

interface Deps {
  embed: EmbedService;
  config: Pick<Config, 'upgradeInsecureRequests'>;
  publicUrl: PublicUrl;
}

/** What the request's own URL names (its path and query), if it is embeddable. */
const targetOf = (req: Request) => embeddableAt(req.path, new URL(req.originalUrl, 'http://x').searchParams);

export function createEmbedRouter({ embed, config, publicUrl }: Deps): Router {
  const router = Router();
  router.use('/embed', framableAnywhere(config));

  const renderEmbed: RequestHandler = async (req, res) => {
    const target = targetOf(req);
    if (!target) throw new NotFound('There is nothing to play at this address.');
    const player = await embed.player(target);
    res.render('embed/player', { title: player.title, player, songs: player.songs.map(toApiSong), pageUrl: publicUrl(req, pagePathOf(target)) });
  };
  router.get('/embed/shared/playlists/:token', renderEmbed);
  router.get('/embed/:drug/:mood', renderEmbed);

  router.get('/oembed', async (req, res) => {
    const query = parse(oembedQuery, req.query);
    if (query.format === 'xml') throw new AppError('format_not_supported', 501, 'Stereodose answers oEmbed in JSON only: ask with format=json.');
    const target = ownPage(query.url, publicUrl(req, ''));
    if (!target) throw new NotFound('Stereodose has no player for that address.');
    const about = await embed.describe(target);
    const size = {
      width: Math.min(EMBED_SIZE.width, query.maxwidth ?? Number.POSITIVE_INFINITY),
      height: Math.min(EMBED_SIZE.height, query.maxheight ?? Number.POSITIVE_INFINITY),
    };
    res.set('Cache-Control', 'public, max-age=3600');
    res.json({
      version: '1.0',
      type: 'rich',
      provider_name: 'Stereodose',
      provider_url: publicUrl(req, '/'),
      title: about.title,
      html: iframeSnippet(publicUrl(req, embedPathOf(target)), about.title, size),
      ...size,
      cache_age: 3600,
      // The link preview, where it fits within what the consumer allows (oEmbed asks that of thumbnails too).
      ...(fits(query) && {
        thumbnail_url: publicUrl(req, about.genre ? genrePreviewPath(about.genre) : SITE_IMAGE),
        thumbnail_width: PREVIEW_WIDTH,
        thumbnail_height: PREVIEW_HEIGHT,
      }),
    });
  });
  return router;
}

const fits = ({ maxwidth, maxheight }: { maxwidth?: number; maxheight?: number }) =>
  (maxwidth ?? PREVIEW_WIDTH) >= PREVIEW_WIDTH && (maxheight ?? PREVIEW_HEIGHT) >= PREVIEW_HEIGHT;

/**
 * The embeddable thing an absolute URL names, if it is one of this site's pages or embeds. Only
 * http(s) URLs have a real origin: any other scheme's is the opaque "null", equal to no other.
 */
function ownPage(url: string, origin: string): Embeddable | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const site = new URL(origin);
  if (!parsed || !isWebOrigin(parsed) || !isWebOrigin(site) || parsed.origin !== site.origin) return undefined;
  return embeddableAt(parsed.pathname, parsed.searchParams);
}

const isWebOrigin = (url: URL) => (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null';

/**
 * On the pages other sites may embed: the oEmbed discovery link (views/partials/head.ejs) and the
 * iframe snippet the "Embed" button shows (views/partials/embed-button.ejs), as `res.locals.embed`.
 */
export function embedDiscovery({ publicUrl }: Pick<Deps, 'publicUrl'>): RequestHandler {
  return (req, res, next) => {
    const target = req.method === 'GET' && !req.path.startsWith('/embed/') ? targetOf(req) : undefined;
    if (target) {
      const pageUrl = publicUrl(req, pagePathOf(target));
      res.locals.embed = {
        oembedUrl: publicUrl(req, `/oembed?url=${encodeURIComponent(pageUrl)}&format=json`),
        snippet: (title: string) => iframeSnippet(publicUrl(req, embedPathOf(target)), title),
      };
    }
    next();
  };
}
