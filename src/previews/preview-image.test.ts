import { describe, expect, it } from 'vitest';
import { SITE_PALETTE } from './drug-palette.js';
import { escapeXml, fitText, previewSvg } from './preview-image.js';

/** Every character 60 px wide at size 100: the 660 px text box holds 11 at size 100, 18 at size 60. */
const measure = (text: string) => Array.from(text).length * 60;
const card = (title: string) => ({ eyebrow: 'Weed', title, tagline: 'A fresh random playlist', palette: SITE_PALETTE, artwork: '<svg/>' });
const texts = (svg: string) => [...svg.matchAll(/<text [^>]*font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ size: Number(m[1]), text: m[2]! }));

describe('the preview image template', () => {
  it('when text holds markup, quotes or characters XML cannot carry, then it is escaped or dropped', () => {
    expect(escapeXml(`Rock & Roll <3 "live" 'n'\u0007 \ud800!`)).toBe('Rock &amp; Roll &lt;3 &quot;live&quot; &apos;n&apos; !');
    const svg = previewSvg(card('</text><script>alert(1)</script>'), measure);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('when a text is short, then it gets the largest size; when too long even at the smallest, then it is cut with an ellipsis that fits', () => {
    expect(fitText('Chill', measure, { max: 120, min: 60 })).toEqual({ text: 'Chill', size: 120 });
    expect(fitText('Sixteen letters!', measure, { max: 120, min: 60 })).toEqual({ text: 'Sixteen letters!', size: 68 });
    const cut = fitText('A name far longer than any box could hold', measure, { max: 120, min: 60 });
    expect(cut).toEqual({ text: 'A name far longer…', size: 60 });
    expect(measure(cut.text) * 0.6).toBeLessThanOrEqual(660);
  });

  it('when a mood name is too long for one line, then it takes two lines at one size', () => {
    const lines = texts(previewSvg(card('Melting Prismatic Technicolor'), measure)).filter((t) => t.text !== 'Weed' && !t.text.startsWith('A fresh'));
    expect(lines.map((l) => l.text)).toEqual(['Melting Prismatic', 'Technicolor']);
    expect(new Set(lines.map((l) => l.size)).size).toBe(1);
  });
});
