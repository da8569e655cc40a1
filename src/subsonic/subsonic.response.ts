// The Subsonic envelope: every /rest answer is a `subsonic-response` with status, version, type,
// serverVersion and openSubsonic; XML by default, JSON with f=json, JSONP with f=jsonp&callback=.
// The JSON and XML forms follow Subsonic's own mapping: objects are elements, their plain values
// attributes, arrays repeated elements, a `value` field an element's text, and an ElementText a
// child element holding only text (artistInfo's biography). The schema fixes the order of child
// elements, so answers list their keys in the schema's order.
import type { Request, Response } from 'express';
import { escapeMarkup } from '../lib/markup.js';

/** The Subsonic API version these answers follow. */
export const SUBSONIC_VERSION = '1.16.1';
const SERVER_VERSION = '0.1.0';

/** A Subsonic error: its code (10 missing parameter, 40 wrong credentials, 50 not allowed, 70 not found…). */
export class SubsonicError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** OpenSubsonic's helpUrl: where a person can put it right (an app password's page). */
    readonly helpUrl?: string,
    /** The HTTP status beside the envelope: 200 unless the request itself was unreadable (413) or names no method (404). */
    readonly status = 200,
  ) {
    super(message);
    this.name = 'SubsonicError';
  }
}

/** Text that XML writes as an element of its own and JSON as a plain string. */
export class ElementText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
}

type Body = Record<string, unknown>;

/**
 * Every character XML 1.0 forbids (C0 controls but tab, newline and carriage return; U+FFFE,
 * U+FFFF; a lone surrogate) becomes U+FFFD, so no stored text can make an answer ill-formed.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// Tab, newline and carriage return as character references: an attribute keeps them (a parser
// would turn them into spaces), and a text keeps its carriage returns.
export const escapeXml = (text: string) => escapeMarkup(text.replace(NOT_XML, '\uFFFD')).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);

function element(name: string, value: Body, attributes = ''): string {
  let attrs = attributes;
  let children = '';
  let text = '';
  const child = (key: string, item: unknown) =>
    item instanceof ElementText || typeof item !== 'object' || item === null
      ? `<${key}>${escapeXml(String(item instanceof ElementText ? item.text : item))}</${key}>`
      : element(key, item as Body);
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (key === 'value') text = escapeXml(String(v));
    else if (Array.isArray(v)) children += v.map((item) => child(key, item)).join('');
    else if (typeof v === 'object') children += child(key, v);
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
    ...(error ? { error: { code: error.code, message: error.message, helpUrl: error.helpUrl } } : body),
  };
  // Each answer is one listener's (their stars, playlists, user), whoever's credentials asked.
  res.set('Cache-Control', 'no-store');
  if (error) res.status(error.status);
  const format = formatOf(req);
  const callback = String(req.query.callback ?? '');
  if (format === 'json' || (format === 'jsonp' && !JSONP_CALLBACK.test(callback))) {
    res.json({ 'subsonic-response': envelope });
  } else if (format === 'jsonp') {
    res.type('application/javascript').send(`${callback}(${JSON.stringify({ 'subsonic-response': envelope })});`);
  } else {
    // text/xml, as Subsonic answers and as its spec says the errors of binary methods come.
    res
      .type('text/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="UTF-8"?>${element('subsonic-response', envelope, ' xmlns="http://subsonic.org/restapi"')}`);
  }
}
