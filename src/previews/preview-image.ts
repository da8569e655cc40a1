// The link-preview poster as SVG (1200×630, the size Open Graph and Twitter cards ask for): the
// drug's gradient under the tiles' dark veil (top to bottom, as rows of one colour keep the PNG
// small), its artwork (or a song's own cover) on a record's grooves, and the text fitted to its box. Every text drawn
// here is escaped: mood names come from admins.
import { escapeMarkup } from '../lib/markup.js';
import type { Palette } from './drug-palette.js';

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;
/** The one font the renderer loads (assets/fonts/): the SVG names it so nothing else is looked for. */
export const FONT_FAMILY = 'DejaVu Sans';

export interface PreviewCard {
  /** The small line above the title (the drug, on a mood's card). */
  eyebrow: string;
  /** The big line. */
  title: string;
  /** The line under it. */
  tagline: string;
  palette: Palette;
  /** The artwork's SVG source (public/img/drugs/). */
  artwork: string;
  /** A song's own cover (JPEG or PNG), drawn instead of the artwork. */
  picture?: { type: string; base64: string };
}

/** How wide `text` is drawn at font size 100, in pixels. */
export type MeasureText = (text: string) => number;

const TEXT_X = 80;
/** The text stops short of the artwork's grooves. */
const TEXT_WIDTH = 660;
const ART = { x: 800, y: 165, size: 300 };

/** XML 1.0 refuses control characters and lone surrogates outright; the renderer would fail on them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNREPRESENTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
export const escapeXml = (text: string) => escapeMarkup(text.replace(UNREPRESENTABLE, ''));

const textAttributes = (size: number) => `font-family="${FONT_FAMILY}" font-weight="700" font-size="${size}"`;

/** A one-line SVG holding `text` at size 100, for MeasureText implementations to render and measure. */
export const measuringSvg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="200"><text x="0" y="150" ${textAttributes(100)}>${escapeXml(text)}</text></svg>`;

interface Fitted {
  text: string;
  size: number;
}

/** The largest size up to `max` at which `text` fits the text box; below `min`, `min` and the text cut short with "…". */
export function fitText(text: string, measure: MeasureText, { max, min }: { max: number; min: number }): Fitted {
  const width = measure(text);
  const size = width > 0 ? Math.min(max, Math.floor((100 * TEXT_WIDTH) / width)) : max;
  if (size >= min) return { text, size };
  const room = (100 * TEXT_WIDTH) / min;
  const chars = Array.from(text);
  // The longest start of the text that fits with its ellipsis: at least one character is kept.
  let [fits, tooLong] = [1, chars.length];
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (measure(`${chars.slice(0, middle).join('').trimEnd()}…`) <= room) fits = middle;
    else tooLong = middle;
  }
  return { text: `${chars.slice(0, fits).join('').trimEnd()}…`, size: min };
}

const line = (y: number, { text, size }: Fitted, fill: string, opacity = 1) =>
  `<text x="${TEXT_X}" y="${y}" ${textAttributes(size)} fill="${fill}"${opacity < 1 ? ` fill-opacity="${opacity}"` : ''}>${escapeXml(text)}</text>`;

/** Below this a one-line title is too small to read in a chat's thumbnail: it takes two lines instead. */
const ONE_LINE_MIN = 84;
const TWO_LINES = { max: 92, min: 56 };

/** The title on one line, or on two split where their longer one is shortest. */
function titleLines(title: string, measure: MeasureText): Fitted[] {
  const one = fitText(title, measure, { max: 120, min: TWO_LINES.min });
  const words = title.trim().split(/\s+/);
  if (one.size >= ONE_LINE_MIN || words.length < 2) return [one];
  let best = { widest: Number.POSITIVE_INFINITY, lines: [title, ''] };
  for (let i = 1; i < words.length; i++) {
    const lines = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    const widest = Math.max(...lines.map(measure));
    if (widest < best.widest) best = { widest, lines };
  }
  const fitted = best.lines.map((text) => fitText(text, measure, TWO_LINES));
  const size = Math.min(...fitted.map((f) => f.size));
  // Two lines also when one line had to be cut short: they keep more of the name.
  return size > one.size || one.text !== title ? fitted.map((f) => ({ ...f, size })) : [one];
}

/** Eyebrow, title and tagline, placed by how many lines the title took. */
function textBlock(card: PreviewCard, measure: MeasureText): string {
  const title = titleLines(card.title, measure);
  const [eyebrowY, titleYs, taglineY] = title.length === 1 ? [300, [420], 510] : [250, [352, 450], 530];
  return [
    line(eyebrowY, fitText(card.eyebrow, measure, { max: 46, min: 30 }), '#fff', 0.85),
    ...title.map((fitted, i) => line(titleYs[i]!, fitted, '#fff')),
    line(taglineY, fitText(card.tagline, measure, { max: 36, min: 26 }), '#fff', 0.85),
  ].join('\n');
}

const grooves = [150, 185, 220, 255, 290]
  .map((r) => `<circle cx="${ART.x + ART.size / 2}" cy="${ART.y + ART.size / 2}" r="${r}" fill="none" stroke="#fff" stroke-opacity=".07" stroke-width="3"/>`)
  .join('');

export function previewSvg(card: PreviewCard, measure: MeasureText): string {
  const { accent, accent2, accentText } = card.palette;
  const href = card.picture
    ? `data:${card.picture.type};base64,${card.picture.base64}`
    : `data:image/svg+xml;base64,${Buffer.from(card.artwork).toString('base64')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" viewBox="0 0 ${PREVIEW_WIDTH} ${PREVIEW_HEIGHT}">
<defs>
<linearGradient id="ground" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${accent}"/><stop offset="1" stop-color="${accent2}"/></linearGradient>
<filter id="shadow" x="-20%" y="-20%" width="140%" height="150%"><feDropShadow dx="0" dy="14" stdDeviation="18" flood-color="#000" flood-opacity=".4"/></filter>
</defs>
<rect width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" fill="url(#ground)"/>
<rect width="${PREVIEW_WIDTH}" height="${PREVIEW_HEIGHT}" fill="#000" fill-opacity=".3"/>
${grooves}
<image x="${ART.x}" y="${ART.y}" width="${ART.size}" height="${ART.size}" filter="url(#shadow)" preserveAspectRatio="xMidYMid slice" href="${href}"/>
<text x="${TEXT_X}" y="122" ${textAttributes(50)} fill="#fff">Stereo<tspan fill="${accentText}">dose</tspan></text>
${textBlock(card, measure)}
</svg>`;
}
