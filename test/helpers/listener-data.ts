// A listener with some of everything an account can hold, made through HTTP as the site makes it:
// favorites (on songs another listener loves too), playlists, history, a hidden song, a radio, an
// app password and what an app keeps with it (a rating, a starred artist, a bookmark, a play queue,
// a song now playing), a reset link, a confirmation link, login and reset counters, and a second
// logged-in session.
import request from 'supertest';
import type { Express } from 'express';
import { createUsersRepository } from '../../src/accounts/users.repository.js';
import type { Db } from '../../src/db/knex.js';
import { createEmailVerificationsRepository } from '../../src/email-verifications/email-verifications.repository.js';
import { linkTokenHash, newLinkToken } from '../../src/mail/link-token.js';
import { createPasswordResetsRepository } from '../../src/password-resets/password-resets.repository.js';
import { createPasswordResetsService } from '../../src/password-resets/password-resets.service.js';
import { albumId, artistId } from '../../src/subsonic/subsonic.songs.js';
import { makeGenre, makeSongs } from './factories.js';
import { type Agent, csrfFrom, loginAs, PASSWORD, uniqueName } from './session.js';

export interface Listener {
  username: string;
  email: string;
  userId: number;
  agent: Agent;
  csrf: string;
}

export async function registerListener(app: Express, db: Db): Promise<Listener> {
  const username = uniqueName('leaver');
  const email = `${username}@listeners.example`;
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent, '/register');
  await agent.post('/register').type('form').send({ _csrf, username, password: PASSWORD, email }).expect(303);
  const userId = Number((await db('users').where('username', username).first('id')).id);
  return { username, email, userId, agent, csrf: await csrfFrom(agent, '/account') };
}

const love = (l: Listener, songId: number) => l.agent.put(`/api/favorites/${songId}`).set('x-csrf-token', l.csrf).expect(200);

async function makePlaylist(l: Listener, name: string, songIds: number[]): Promise<number> {
  const made = await l.agent.post('/my/playlists').type('form').send({ _csrf: l.csrf, name }).expect(303);
  const id = Number(/\/my\/playlists\/(\d+)$/.exec(String(made.headers.location))![1]);
  for (const songId of songIds) await l.agent.post(`/my/playlists/${id}/songs`).type('form').send({ _csrf: l.csrf, songId }).expect(303);
  return id;
}

export async function listenerWithEverything(app: Express, db: Db) {
  const genre = await makeGenre(db);
  const songs = await makeSongs(db, genre.genreId, 5);
  const [s1, s2, s3, s4, s5] = songs as [number, number, number, number, number];
  const leaver = await registerListener(app, db);
  const stayer = await registerListener(app, db);

  for (const id of [s1, s2, s3]) await love(leaver, id);
  for (const id of [s1, s2, s5]) await love(stayer, id);
  const nightDrive = await makePlaylist(leaver, 'Night drive', [s3, s1, s2]);
  await makePlaylist(leaver, 'Empty for now', []);
  const stayersPlaylist = await makePlaylist(stayer, 'Keep me', [s1]);

  const genrePath = `${genre.drugSlug}/${genre.moodSlug}`;
  await leaver.agent.post('/api/plays').set('x-csrf-token', leaver.csrf).send({ songId: s1, genre: genrePath, first: true }).expect(204);
  await leaver.agent.post('/api/plays').set('x-csrf-token', leaver.csrf).send({ songId: s2 }).expect(204);
  await stayer.agent.post('/api/plays').set('x-csrf-token', stayer.csrf).send({ songId: s1, genre: genrePath, first: true }).expect(204);
  await leaver.agent.put(`/api/me/hidden/${genre.genreId}/${s4}`).set('x-csrf-token', leaver.csrf).expect(200);
  await leaver.agent.get(`/playlist/${genrePath}`).expect(200); // their radio's place in this mood

  const made = await leaver.agent.post('/account/app-passwords').type('form').send({ _csrf: leaver.csrf, name: 'Phone — Symfonium' }).expect(201);
  const appPassword = /<code class="app-password">([^<]+)<\/code>/.exec(made.text)![1]!;
  const rest = async (method: string, query: Record<string, unknown>) => {
    const res = await request(app)
      .get(`/rest/${method}`)
      .query({ u: leaver.username, p: appPassword, f: 'json', ...query });
    if (res.body['subsonic-response']?.status !== 'ok') throw new Error(`${method}: ${res.text}`);
  };
  const { artist, album } = await db('songs').where('id', s1).first('artist', 'album');
  await rest('setRating', { id: s1, rating: 4 });
  await rest('star', { artistId: artistId(artist), albumId: albumId(artist, album) });
  await rest('createBookmark', { id: s2, position: 61_000, comment: 'the bridge' });
  await rest('savePlayQueue', { id: [s1, s2], current: s2, position: 5000, c: 'DSub' });
  await rest('scrobble', { id: s1, submission: 'false' });

  const resets = createPasswordResetsService({ users: createUsersRepository(db), resets: createPasswordResetsRepository(db) });
  await resets.linkFor(leaver.username);
  // A confirmation link for the address, as registering on a site that sends mail leaves one.
  const now = new Date();
  await createEmailVerificationsRepository(db).insert(leaver.userId, leaver.email, linkTokenHash(newLinkToken()), now, new Date(now.getTime() + 86_400_000));
  // A failed login and a reset request leave counters keyed by the username.
  const stranger = request.agent(app);
  const _csrf = await csrfFrom(stranger);
  await stranger.post('/login').type('form').send({ _csrf, username: leaver.username, password: 'not the password' }).expect(401);
  await stranger
    .post('/forgot')
    .type('form')
    .send({ _csrf: await csrfFrom(stranger, '/login'), identifier: leaver.username })
    .expect(303);
  await stranger
    .post('/forgot')
    .type('form')
    .send({ _csrf: await csrfFrom(stranger, '/login'), identifier: leaver.email })
    .expect(303);

  const otherDevice = await loginAs(app, leaver.username);
  return { genre, songs: { s1, s2, s3, s4, s5 }, leaver, stayer, otherDevice, appPassword, nightDrive, stayersPlaylist };
}
