// The Subsonic envelope: every /rest answer is a `subsonic-response` with status, version, type,
// serverVersion and openSubsonic; XML by default, JSON with f=json, JSONP with f=jsonp&callback=.
// The JSON and XML forms follow Subsonic's own mapping: objects are elements, their plain values
// attributes, arrays repeated elements, and a `value` field an element's text.
import type { Request, Response } from 'express';

/** The Subsonic API version these answers follow. */
export const SUBSONIC_VERSION = '1.16.1';
const SERVER_VERSION = '0.1.0';

/** A Subsonic error: its code (10 missing parameter, 40 wrong credentials, 50 not allowed, 70 not found…). */
export class SubsonicError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SubsonicError';
  }
}

type Body = Record<string, unknown>;

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function element(name: string, value: Body, attributes = ''): string {
  let attrs = attributes;
  let children = '';
  let text = '';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (key === 'value') text = escapeXml(String(v));
    else if (Array.isArray(v))
      children += v.map((item) => (typeof item === 'object' ? element(key, item as Body) : `<${key}>${escapeXml(String(item))}</${key}>`)).join('');
    else if (typeof v === 'object') children += element(key, v as Body);
    else attrs += ` ${key}="${escapeXml(String(v))}"`;
  }
  return children || text ? `<${name}${attrs}>${text}${children}</${name}>` : `<${name}${attrs}/>`;
}

/** What a client asked for: xml (the default), json or jsonp. */
const formatOf = (req: Request) => String(req.query.f ?? req.body?.f ?? 'xml');
const JSONP_CALLBACK = /^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,3}$/;

export function sendSubsonic(req: Request, res: Response, body: Body = {}, error?: SubsonicError): void {
  const envelope: Body = {
    status: error ? 'failed' : 'ok',
    version: SUBSONIC_VERSION,
    type: 'stereodose',
    serverVersion: SERVER_VERSION,
    openSubsonic: true,
    ...(error ? { error: { code: error.code, message: error.message } } : body),
  };
  // Each answer is one listener's (their stars, playlists, user), whoever's credentials asked.
  res.set('Cache-Control', 'no-store');
  const format = formatOf(req);
  const callback = String(req.query.callback ?? '');
  if (format === 'json' || (format === 'jsonp' && !JSONP_CALLBACK.test(callback))) {
    res.json({ 'subsonic-response': envelope });
  } else if (format === 'jsonp') {
    res.type('application/javascript').send(`${callback}(${JSON.stringify({ 'subsonic-response': envelope })});`);
  } else {
    res.type('application/xml').send(`<?xml version="1.0" encoding="UTF-8"?>${element('subsonic-response', envelope, ' xmlns="http://subsonic.org/restapi"')}`);
  }
}
