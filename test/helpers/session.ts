// Browser-like helpers: a supertest agent keeps cookies; forms need their CSRF token first.
import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../src/db/knex.js';

export type Agent = ReturnType<typeof request.agent>;

export async function csrfFrom(agent: Agent, path = '/login'): Promise<string> {
  const res = await agent.get(path);
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return token;
}

let counter = 0;
export const uniqueName = (prefix = 'user') => `${prefix}${Date.now().toString(36).slice(-5)}${counter++}`;
export const PASSWORD = 'correct horse battery staple';

/** `app` may also be the URL of a server already listening (a child process, say). */
export async function registerAs(app: Express | string, username = uniqueName(), password = PASSWORD): Promise<{ agent: Agent; username: string }> {
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf, username, password });
  if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${res.text.slice(0, 300)}`);
  return { agent, username };
}

/** Who /account says is logged in: the username it shows, or undefined when it sends the visitor to log in. */
export const accountHolder = (res: { status: number; text: string }) => (res.status === 200 ? /Logged in as <strong>([^<]+)</.exec(res.text)?.[1] : undefined);

/** Who this agent is logged in as, by /account; undefined for a visitor. */
export const whoAmI = async (agent: Agent) => accountHolder(await agent.get('/account'));

export async function loginAs(app: Express, username: string, password = PASSWORD): Promise<Agent> {
  const agent = request.agent(app);
  const _csrf = await csrfFrom(agent);
  const res = await agent.post('/login').type('form').send({ _csrf, username, password });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return agent;
}

export const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('stereodose.sid='))?.split(';')[0];

/** The agent's session cookie as a `Cookie` header value (`stereodose.sid=…`), if it holds one. */
export async function sessionCookieOf(agent: Agent): Promise<string | undefined> {
  const cookie = await agent.jar.getCookie('stereodose.sid', { domain: '127.0.0.1', path: '/', script: false, secure: false });
  return cookie?.toValueString();
}

/** The session id inside a signed session cookie (`stereodose.sid=s%3A<sid>.<signature>`). */
export function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return value.slice(2, value.lastIndexOf('.'));
}

/**
 * Moves every session's "password proven at" (set at login, or when the password is typed again)
 * this many minutes into the past, as if the listener had logged in that long ago.
 */
export async function ageLoginProof(db: Db, minutes: number): Promise<void> {
  for (const row of await db('sessions').select('sid', 'sess')) {
    const sess = JSON.parse(row.sess);
    if (sess.passwordProvenAt === undefined) continue;
    sess.passwordProvenAt -= minutes * 60_000;
    await db('sessions')
      .where('sid', row.sid)
      .update({ sess: JSON.stringify(sess) });
  }
}
