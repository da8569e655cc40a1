// A drug's colours for the preview images. The site's colours live only in CSS (`.drug-<slug>` in
// public/css/site.css); this mirrors those rules, so change both together. A drug an admin added
// has no rule there: its own colour (drugs.color) stands in, over the CSS's default dark end.

export interface Palette {
  /** The gradient's light end. */
  accent: string;
  /** The gradient's dark end. */
  accent2: string;
  /** Text in the drug's colour on a dark ground ("dose" in the wordmark). */
  accentText: string;
}

const PALETTES: Readonly<Record<string, Palette>> = {
  weed: { accent: '#3fa34d', accent2: '#1f6f3a', accentText: '#6fd27c' },
  ecstasy: { accent: '#e4509a', accent2: '#8f2bd6', accentText: '#ff8cc6' },
  shrooms: { accent: '#d0883a', accent2: '#7a3f1d', accentText: '#f0b070' },
  lsd: { accent: '#7c5cff', accent2: '#1fb5c9', accentText: '#a894ff' },
};

/** :root's --accent and --accent-text, over the tiles' fallback dark end. */
export const SITE_PALETTE: Palette = { accent: '#7c5cff', accent2: '#2a2340', accentText: '#a894ff' };

export function paletteOf(drug: { slug: string; color: string }): Palette {
  const known = PALETTES[drug.slug];
  if (known) return known;
  const accent = /^#[0-9a-f]{6}$/i.test(drug.color) ? drug.color.toLowerCase() : SITE_PALETTE.accent;
  return { accent, accent2: SITE_PALETTE.accent2, accentText: towardWhite(accent, 0.45) };
}

/** `hex` moved `amount` (0..1) of the way to white: a lighter tint that reads on the dark veil. */
function towardWhite(hex: string, amount: number): string {
  const channel = (i: number) => {
    const value = Number.parseInt(hex.slice(i, i + 2), 16);
    return Math.round(value + (255 - value) * amount)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}
