import { describe, expect, it } from 'vitest';
import { loggedUrl } from './request-log.js';

describe('the URL a request is logged with', () => {
  it.each([
    ['/rest/ping.view?u=ann&p=hunter2hunter2&v=1.16.1&c=app', '/rest/ping.view?u=ann&p=[redacted]&v=1.16.1&c=app'],
    ['/rest/ping?u=ann&p=enc:68756e74657232&f=json', '/rest/ping?u=ann&p=[redacted]&f=json'],
    ['/rest/getSong?u=ann&t=26719a1196d2a940705a59634eb18eab&s=c19b2d&id=4', '/rest/getSong?u=ann&t=[redacted]&s=[redacted]&id=4'],
    ['/rest/ping?apiKey=abcdefghijkmnpqrstuvwxyz&f=json', '/rest/ping?apiKey=[redacted]&f=json'],
    ['/rest/ping?APIKEY=x&%70=y&P=z&%61piKey=w', '/rest/ping?APIKEY=[redacted]&%70=[redacted]&P=[redacted]&%61piKey=[redacted]'],
    ['/rest/stream?p=a&p=b', '/rest/stream?p=[redacted]&p=[redacted]'],
    ['/reset/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde', '/reset/…'],
    ['/verify-email/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde?x=1', '/verify-email/…?x=1'],
  ])('when the URL is %s, then the log holds %s', (url, logged) => {
    expect(loggedUrl(url)).toBe(logged);
  });

  it.each([
    '/api/playlists/weed/groovin?limit=30&cursor=abc',
    '/rest/getRandomSongs?size=10&salt=no&type=x&pp=1',
    '/search?q=%E2%80%9Cp%E2%80%9D',
    '/playlist/weed/groovin',
  ])('when %s holds no credential, then it is logged as it came', (url) => {
    expect(loggedUrl(url)).toBe(url);
  });

  it('when a parameter name is malformed percent-encoding, then it is kept and nothing throws', () => {
    expect(loggedUrl('/rest/ping?%E0%A4%A=1&p=secret')).toBe('/rest/ping?%E0%A4%A=1&p=[redacted]');
  });
});
