// The web app manifest (served at /manifest.webmanifest): what a browser needs to offer Stereodose
// as an installed app. Colours are site.css's --bg, so the title bar and the splash screen match the page.
export const THEME_COLOR = '#0f0d17';

const icon = (file: string, size: number, purpose: 'any' | 'maskable') => ({
  src: `/static/img/icons/${file}`,
  sizes: `${size}x${size}`,
  type: 'image/png',
  purpose,
});

export const webAppManifest = {
  id: '/',
  name: 'Stereodose',
  short_name: 'Stereodose',
  description: 'Pick a drug, pick a mood, and a fresh random playlist starts playing.',
  // The query tells installed-app visits apart in the access logs; the home page ignores it.
  start_url: '/?source=pwa',
  scope: '/',
  display: 'standalone',
  theme_color: THEME_COLOR,
  background_color: THEME_COLOR,
  icons: [
    icon('icon-192.png', 192, 'any'),
    icon('icon-512.png', 512, 'any'),
    icon('maskable-192.png', 192, 'maskable'),
    icon('maskable-512.png', 512, 'maskable'),
  ],
} as const;
