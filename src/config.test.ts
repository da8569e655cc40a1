import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('when nothing is set, then it serves on 3000 from a SQLite file under data/', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toMatchObject({ client: 'sqlite' });
    expect(config.database.client === 'sqlite' && config.database.filename).toMatch(/data[/\\]stereodose\.sqlite$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('when TRUST_PROXY is %s, then express trusts %s', (value, trusted) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(trusted);
  });

  it('when nothing is set, then plays are batched every second, reads and writes retried on an unavailable database, sessions touched once a minute, no metrics; tests batch and retry nothing', () => {
    expect(loadConfig({})).toMatchObject({
      playsFlushMs: 1000,
      dbReadRetryMs: 5000,
      dbWriteRetryMs: 3000,
      sessionTouchMs: 60_000,
      metrics: { host: '127.0.0.1' },
    });
    expect(loadConfig({}).metrics.port).toBeUndefined();
    expect(loadConfig({}).dbSyncWait).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ playsFlushMs: 0, dbReadRetryMs: 0, dbWriteRetryMs: 0 });
  });

  it('when DB_SYNC_WAIT, PLAYS_FLUSH_MS, SESSION_TOUCH_SECONDS and METRICS_PORT are set, then they are taken as given', () => {
    const config = loadConfig({ DB_SYNC_WAIT: '1', PLAYS_FLUSH_MS: '250', SESSION_TOUCH_SECONDS: '0', METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5' });
    expect(config).toMatchObject({ dbSyncWait: 1, playsFlushMs: 250, sessionTouchMs: 0, metrics: { port: 9100, host: '10.0.0.5' } });
  });

  it('when METRICS_TOKEN is too short, then a ConfigError names it without echoing the value', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/^Invalid environment variable METRICS_TOKEN: must be at least 32 characters$/);
  });

  it('when PUBLIC_URL is set, then it is kept without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://stereodose.example/', TRUST_PROXY: '1' }).publicUrl).toBe('https://stereodose.example');
    expect(loadConfig({}).publicUrl).toBeUndefined();
  });

  it('when SMTP_URL and PUBLIC_URL are set, then mail goes through SMTP_URL from the default sender; unset, no mail can be sent', () => {
    const config = loadConfig({ SMTP_URL: 'smtps://radio:secret@mail.example:465', PUBLIC_URL: 'https://stereodose.example', TRUST_PROXY: '1' });
    expect(config.smtpUrl).toBe('smtps://radio:secret@mail.example:465');
    expect(config.mailFrom).toBe('Stereodose <no-reply@localhost>');
    expect(loadConfig({}).smtpUrl).toBeUndefined();
  });

  it('when SMTP_URL is invalid, then the error names it without echoing its password', () => {
    expect(() => loadConfig({ SMTP_URL: 'imap://radio:hunter2@mail.example' })).toThrow(/^Invalid environment variable SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ SMTP_URL: 'imap://radio:hunter2@mail.example' })).not.toThrow(/hunter2/);
  });

  it('when DATABASE_URL is a mysql URL, then MySQL is used with that database', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/stereodose' }).database).toEqual({
      client: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/stereodose',
      database: 'stereodose',
    });
  });

  it('when HOST is unset, then development and tests listen on 127.0.0.1 and production on every interface', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://stereodose.example', TRUST_PROXY: '1' };
    expect(loadConfig(production).host).toBe('0.0.0.0');
    expect(loadConfig({ ...production, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])(
    'when HOST is %s and SESSION_SECRET unset, then the development secret serves it',
    (HOST) => {
      expect(loadConfig({ HOST }).sessionSecrets).toHaveLength(1);
    },
  );

  it.each([
    [{ HOST: '0.0.0.0' }, 'SESSION_SECRET'],
    [{ HOST: '::', NODE_ENV: 'test' }, 'SESSION_SECRET'],
    [{ HOST: '192.168.1.20' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://stereodose.example' }, 'TRUST_PROXY'],
  ])('when %o, then start-up refuses, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid environment variable ${variable}: `));
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://root@localhost/bad-name;' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ PUBLIC_URL: 'stereodose.example' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://stereodose.example' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'http://mail.example', PUBLIC_URL: 'https://stereodose.example', TRUST_PROXY: '1' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example:587' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'Stereodose' }, 'MAIL_FROM'],
  ])('when %o, then a ConfigError names %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`variable ${variable}`));
  });

  it('when the app starts with a bad value, then it prints one readable line and exits 1', async () => {
    const run = promisify(execFile)('node_modules/.bin/tsx', ['src/main.ts'], { env: { ...process.env, PORT: 'not-a-port' } });
    const failure = (await run.then(
      () => undefined,
      (err) => err,
    )) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid environment variable PORT \(got "not-a-port"\)/)]);
  });
});
