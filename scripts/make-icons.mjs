// Draws the app icons (public/img/icons/*.png) from the brand mark, public/img/favicon.svg. Run it
// again after changing the favicon (`node scripts/make-icons.mjs`) and commit the PNGs: the server
// and the build never draw them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const favicon = fs.readFileSync(path.join(root, 'public/img/favicon.svg'), 'utf8');
const outDir = path.join(root, 'public/img/icons');

const viewBox = favicon.match(/viewBox="0 0 (\d+) \1"/);
const disc = favicon.match(/<circle cx="(\d+)" cy="\1" r="(\d+)" fill="(#[0-9a-f]{6})"\/>/i);
if (!viewBox || !disc) throw new Error('favicon.svg is no longer a square viewBox with a centred disc: update make-icons.mjs');
const box = Number(viewBox[1]);
const radius = Number(disc[2]);
const discColor = disc[3];
const inner = favicon.replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');

// A launcher may crop a maskable icon to any shape that keeps the centred circle of 40% of its
// size (the manifest spec's safe zone): the disc shrinks to that circle and its colour fills the rest.
const SAFE_ZONE = 0.4;
const scale = (SAFE_ZONE * box) / radius;
const fullBleed = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box} ${box}"><rect width="${box}" height="${box}" fill="${discColor}"/><g transform="translate(${box / 2} ${box / 2}) scale(${scale}) translate(${-box / 2} ${-box / 2})">${inner}</g></svg>`;

const icons = [
  { file: 'icon-192.png', size: 192, svg: favicon },
  { file: 'icon-512.png', size: 512, svg: favicon },
  { file: 'maskable-192.png', size: 192, svg: fullBleed, maskable: true },
  { file: 'maskable-512.png', size: 512, svg: fullBleed, maskable: true },
  // iOS rounds the corners itself and shows transparency as black: the full-bleed art suits it.
  { file: 'apple-touch-icon.png', size: 180, svg: fullBleed },
];

fs.mkdirSync(outDir, { recursive: true });
for (const { file, size, svg, maskable } of icons) {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render();
  if (maskable) assertSafeZone(image, discColor, file);
  fs.writeFileSync(path.join(outDir, file), image.asPng());
  console.log(`public/img/icons/${file}: ${size}×${size}`);
}

/** Fails when anything but the background colour lies outside the safe zone (a pixel of margin for anti-aliasing). */
function assertSafeZone(image, color, file) {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16));
  const { width, pixels } = image;
  const centre = width / 2;
  const limit = SAFE_ZONE * width + 1;
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.hypot(x + 0.5 - centre, y + 0.5 - centre) <= limit) continue;
      const i = (y * width + x) * 4;
      if (pixels[i] !== r || pixels[i + 1] !== g || pixels[i + 2] !== b || pixels[i + 3] !== 255) {
        throw new Error(`${file}: pixel ${x},${y} outside the safe zone is not the background`);
      }
    }
  }
}
