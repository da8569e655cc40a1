// EJS renders every page. Includes written "/partials/…" resolve against the views folder without
// touching the disk: a relative include makes ejs check that the file exists (fs.existsSync) on
// every render, and the player page includes a partial per song.
import ejs from 'ejs';
import type { Express } from 'express';
import { drugPath, genreName, genrePath, genrePopularPath } from '../catalog/genre.js';
import { publicDir, viewsDir } from '../paths.js';
import { type Assets, createAssets } from './assets.js';
import { utcDay } from '../lib/utc.js';
import { fieldLabel } from '../lib/field-labels.js';

/** `assets`: how views name static files (asset('css/site.css')); the app passes the ones it serves. */
export function useEjsViews(app: Express, assets: Assets = createAssets(publicDir, { rehash: false })): void {
  app.locals.asset = assets.url;
  app.locals.fieldLabel = fieldLabel;
  // A genre's name and links, as every page writes them (catalog/genre.ts).
  Object.assign(app.locals, { genreName, genrePath, genrePopularPath, drugPath });
  app.locals.utcDay = utcDay;
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', (file, data, done) => {
    ejs.renderFile(file, data as ejs.Data, { root: viewsDir, views: [viewsDir], cache: app.enabled('view cache') }, done);
  });
}
