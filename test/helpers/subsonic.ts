// A Subsonic app's view of the server: the real app on a real port, a listener with an app password
// made on the account page, and calls to /rest in XML or JSON, by GET or a POSTed form, with every
// answer checked against the schemas (subsonic-schema.ts; register useSubsonicSchemas in the file).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, expect } from 'vitest';
import type { Db } from '../../src/db/knex.js';
import { createTestApp } from './app.js';
import { type Agent, csrfFrom, registerAs } from './session.js';
import { checkedFetch } from './subsonic-schema.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Makes an app password on the account page, as a listener would; returns it as shown (once). */
export async function makeAppPassword(agent: Agent, name = 'Phone — Symfonium'): Promise<string> {
  const res = await agent
    .post('/account/app-passwords')
    .type('form')
    .send({ _csrf: await csrfFrom(agent, '/account'), name });
  expect(res.status).toBe(201);
  return /<code class="app-password">([a-z0-9]+)<\/code>/.exec(res.text)![1]!;
}

/** Serves the app on a port of 127.0.0.1; closed after the test. */
export async function serve(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export type Params = Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
export interface CallOptions {
  format?: 'json' | 'xml';
  post?: boolean;
  /** Credentials other than the listener's app password (or none). */
  auth?: Params;
}

// Elements below an answer's own element are lists; attributes never are.
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (_name, jpath, _leaf, isAttribute) => !isAttribute && String(jpath).split('.').length > 2,
});

/** The query (or form) of a call: the credentials, the format and the method's parameters, a list repeated. */
export function formOf(params: Params): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, String(v));
  }
  return form;
}

/** A listener and their app, ready to call /rest. */
export async function subsonicListener(db: Db, options: { random?: () => number; app?: ReturnType<typeof createTestApp> } = {}) {
  const app = options.app ?? createTestApp(db, { random: options.random });
  const { agent, username } = await registerAs(app);
  const userId = Number((await db('users').where('username', username).first('id')).id);
  const appPassword = await makeAppPassword(agent);
  const url = await serve(app);

  /** Calls a method; answers its HTTP status and headers, the `subsonic-response` (parsed from JSON or XML) and the raw text. */
  async function call(method: string, params: Params = {}, { format = 'json', post = false, auth }: CallOptions = {}) {
    const form = formOf({ u: username, p: appPassword, ...auth, v: '1.16.1', c: 'test', f: format, ...params });
    const res = post
      ? await checkedFetch(`${url}/rest/${method}.view`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        })
      : await checkedFetch(`${url}/rest/${method}?${form}`);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const body = /json/.test(type)
      ? JSON.parse(text)['subsonic-response']
      : /xml/.test(type)
        ? (xml.parse(text) as Record<string, Record<string, unknown>>)['subsonic-response']
        : undefined;
    return { status: res.status, headers: res.headers, body, text };
  }

  /**
   * Calls a method in XML and then in JSON (both checked against the schemas); answers the JSON
   * one's `subsonic-response`. `before` runs before each call (a delete needs its row back).
   */
  async function both(method: string, params: Params = {}, options: Omit<CallOptions, 'format'> & { before?: () => Promise<unknown> } = {}) {
    await options.before?.();
    const asXml = await call(method, params, { ...options, format: 'xml' });
    await options.before?.();
    const asJson = await call(method, params, options);
    expect(asXml.body?.status, `${method} in XML`).toBe(asJson.body?.status);
    return asJson.body;
  }

  return { app, agent, username, userId, appPassword, url, call, both };
}
