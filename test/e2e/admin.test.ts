import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.js';
import { horizontalOverflow, registerListener, runAxe } from './pages.js';

const baseUrl = inject('baseUrl');
const databaseFile = inject('databaseFile');
const session = useBrowser();

/** What a fresh install does to make its first admin: `npm run user:admin -- NAME`. */
async function grantAdmin(username: string): Promise<void> {
  await promisify(execFile)('node_modules/.bin/tsx', ['src/accounts/user-admin.cli.ts', username], {
    env: { ...process.env, DATABASE_URL: `sqlite:${databaseFile}` },
  });
}

describe('the admin in a browser', () => {
  it('when an admin adds a song through the form, then it can be drawn in its genre at once, and the form passes axe', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);

    await page.goto(`${baseUrl}/admin/songs/new`);
    const audit = await runAxe(page);
    expect(audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    const title = `Admin Added ${Date.now().toString(36)}`;
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Artist').fill('The Admins');
    await page.getByLabel('From a URL').check();
    await page.getByLabel('Audio URL (http or https)').fill(`${baseUrl}/media/demo/lsd-calm-99.wav`);
    await page.getByRole('group', { name: 'LSD' }).getByLabel('Calm').check();
    await Promise.all([page.waitForURL(/\/admin\/songs\?/), page.getByRole('button', { name: 'Add song' }).click()]);
    await expect.poll(() => page.locator('.flash-success').textContent()).toContain(`Added “${title}”`);

    const drawn = await (await page.request.get(`${baseUrl}/api/playlists/lsd/calm?limit=100`)).json();
    expect(drawn.songs.map((s: { title: string }) => s.title)).toContain(title);
  });

  it('when a song is skipped early in its genre, then /admin/signals lists it under that genre with links to edit and remove it, and passes axe', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    const [song] = (await (await page.request.get(`${baseUrl}/api/playlists/lsd/calm?limit=1`)).json()).songs as { id: number; title: string }[];
    const skipped = await page.request.post(`${baseUrl}/api/plays`, { data: { songId: song!.id, genre: 'lsd/calm', kind: 'skip', seconds: 4 } });
    expect(skipped.status()).toBe(204);

    await page.goto(`${baseUrl}/admin/signals?days=7`);
    const genre = page.getByRole('region', { name: 'LSD · Calm' });
    const row = genre.locator('[data-list="wrong-mood"] tr', { hasText: song!.title });
    await expect.poll(() => row.count()).toBe(1);
    expect(Number(await row.locator('[data-count="early-skips"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(await row.getByRole('link', { name: `Edit “${song!.title}”` }).getAttribute('href')).toBe(`/admin/songs/${song!.id}/edit`);
    expect(await row.getByRole('link', { name: `Remove “${song!.title}”` }).getAttribute('href')).toBe(`/admin/songs/${song!.id}/delete`);
    const audit = await runAxe(page);
    expect(audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  it('when an admin uses the admin on a 360 px phone, then the header is one line and tables scroll inside their own box, never the page', async () => {
    const page = session.page;
    const { username } = await registerListener(page, baseUrl);
    await grantAdmin(username);
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/admin', '/admin/songs', '/admin/drugs', '/admin/audit', '/admin/signals', '/admin/import']) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await horizontalOverflow(page), path).toBe(0);
      const header = (await page.locator('.site-header').boundingBox())!;
      expect(header.height, path).toBeLessThan(72);
    }
  });

  it('when a listener who is not an admin opens the admin, then they are refused', async () => {
    await registerListener(session.page, baseUrl);
    const response = await session.page.goto(`${baseUrl}/admin/songs/new`);
    expect(response?.status()).toBe(403);
  });
});
