// Bundles the browser code with esbuild into public/js/: the site's script (client/site.ts, on
// every page: Turbo, the dock's player and the pages' parts), the embedded player's
// (client/embed.ts) and the service worker (client/sw.ts, served at /sw.js), each one minified file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { build } from 'esbuild';

// es2022: Turbo's classes keep their own fields and private methods, which every browser the site
// supports (those with popovers) runs natively.
const common = { bundle: true, minify: true, target: ['es2022'], format: 'iife', metafile: true, logLevel: 'warning' };

const pages = await build({ ...common, entryPoints: ['client/site.ts', 'client/embed.ts'], outdir: 'public/js', sourcemap: true });

// The shell the service worker pre-caches: each URL with the files it is made of. The cache's name
// carries a hash of them all, so a deploy that changes any of them gets a fresh cache.
const listed = (dir, ext) =>
  fs
    .readdirSync(`public/${dir}`)
    .filter((name) => name.endsWith(ext))
    .sort()
    .map((name) => [`/static/${dir}/${name}`, [`public/${dir}/${name}`]]);
const shell = [
  // The page's templates stand for the page: it has no data of its own.
  ['/offline', ['views/offline.ejs', 'views/partials/head.ejs', 'views/partials/foot.ejs']],
  ...listed('css', '.css'),
  ['/static/js/site.js', ['public/js/site.js']],
  ['/static/img/favicon.svg', ['public/img/favicon.svg']],
  ...listed('img/icons', '.png'),
];
// Static files are cached under the URL pages name them by: with the content hash src/http/assets.ts
// appends (the same digest, cut the same way), so a page's requests hit the cache exactly.
const fingerprint = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('base64url').slice(0, 12);
for (const entry of shell) if (entry[0].startsWith('/static/')) entry[0] = `${entry[0]}?v=${fingerprint(entry[1][0])}`;

const hash = createHash('sha256');
for (const [url, files] of shell) {
  hash.update(url);
  for (const file of files) hash.update(fs.readFileSync(file));
}
const version = hash.digest('hex').slice(0, 12);

const sw = await build({
  ...common,
  entryPoints: ['client/sw.ts'],
  outdir: 'public/js',
  // No map: it would have to be served beside /sw.js, and the file is a few hundred bytes.
  sourcemap: false,
  define: { SHELL_FILES: JSON.stringify(shell.map(([url]) => url)), SHELL_VERSION: JSON.stringify(version) },
});

for (const result of [pages, sw]) {
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}: ${(bytes / 1024).toFixed(1)} KB`);
  }
}
console.log(`shell ${version}: ${shell.length} files pre-cached`);
