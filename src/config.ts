// The one reader of process.env. Everything else receives a frozen, typed Config.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => /^(mysql|sqlite):/.test(value), 'must start with mysql:// or sqlite:');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Unset: 127.0.0.1 in development and tests (a first start is reachable from this machine only),
  // every interface in production (a container's port is published from outside it).
  HOST: z.string().trim().min(1).optional(),
  DATABASE_URL: databaseUrl.optional(),
  // A read replica of DATABASE_URL for the listener's read-only pages (MySQL/MariaDB only).
  DATABASE_READ_URL: z
    .string()
    .trim()
    .refine((value) => value.startsWith('mysql://'), 'must start with mysql:// (a read replica needs MySQL/MariaDB)')
    .optional(),
  // Further behind the primary than this (by its own status), the replica gets no reads.
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  // How often the replica's health is read (never per request).
  REPLICA_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  // Comma-separated: the first signs new cookies, all of them verify (rotation without logouts).
  SESSION_SECRET: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'each secret must be at least 32 characters')).min(1))
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(525_600)
    .default(14 * 24 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(8760)
    .default(30 * 24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default(path.join(projectRoot, 'data')),
  PLAYLIST_SIZE: z.coerce.number().int().min(1).max(100).default(30),
  LOGIN_LIMIT_PER_USER: z.coerce.number().int().min(1).default(5),
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(50),
  REGISTER_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  LOGIN_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  UPLOAD_DIR: z.string().optional(),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(500).default(50),
  // The program that measures loudness and compresses audio; a path, or a name looked up on PATH.
  FFMPEG_PATH: z.string().trim().min(1).default('ffmpeg'),
  // Where the demo songs' compressed audio is rendered to (it depends on nothing but each song's seed).
  DEMO_AUDIO_DIR: z.string().trim().min(1).optional(),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  // Galera: wsrep_sync_wait for every connection of the app's pool (1 = reads wait until the node
  // has applied every write committed anywhere before them). Unset: the server's own setting.
  DB_SYNC_WAIT: z.coerce.number().int().min(0).max(15).optional(),
  // A listener's read (a draw, a picker) that finds the database unavailable is tried again on a
  // fresh connection for up to this long before answering 503. Default: 5000 (0 in tests).
  DB_READ_RETRY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  // A write transaction whose connection died before COMMIT (its node killed or frozen) is run
  // again on a fresh connection for up to this long. Default: 3000 (0 in tests).
  DB_WRITE_RETRY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  // How often the database node's identity and health are read (metrics, the outage log).
  DB_NODE_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  // Plays are counted in memory and written in batches this often; 0 writes each play at once.
  // Default: 1000 (0 in tests).
  PLAYS_FLUSH_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  // A logged-in session's row is written at most this often when only its expiry moves.
  SESSION_TOUCH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  // Prometheus metrics: on a port of their own (never the site's), and/or at /metrics on the
  // site's port for a request bearing this token. Neither set: no metrics are served.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  METRICS_TOKEN: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  // Express's `trust proxy`: false (no proxy), true, a hop count, or addresses/subnets (comma-separated).
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
      'must be true, false, a number of proxies, or addresses',
    )
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
  // Where the site is reached from outside (https://stereodose.example): link previews, embeds and
  // oEmbed name absolute URLs with it. Unset: the URL the request came in on.
  PUBLIC_URL: z
    .string()
    .trim()
    .url()
    .refine((v) => /^https?:\/\//.test(v), 'must be an http:// or https:// URL')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  // The SMTP server password-reset mail goes through (smtp://user:pass@host:587, smtps://…:465).
  SMTP_URL: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && /^smtps?:\/\/[^/]/.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).regex(/@/, 'must hold an address').default('Stereodose <no-reply@localhost>'),
  // Password-reset requests per account (the username or email typed) and per IP in a window.
  RESET_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(3),
  RESET_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
  RESET_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(60),
});

/** Variables whose value may hold a password: an error names them but never echoes the value. */
const SECRET_VARIABLES = new Set(['SMTP_URL', 'METRICS_TOKEN']);

export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'mysql'; url: string; database: string };

// NODE_ENV is read here alone: what it changes elsewhere is one of the explicit settings below.
export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** A replica of `database` for read-only listener pages; unset: they read `database`. */
  readDatabase?: DatabaseConfig;
  /** When reads leave the replica for the primary, and how often that is checked. */
  replica: { maxLagSeconds: number; checkEveryMs: number };
  sessionSecrets: string[];
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  logLevel: string;
  dataDir: string;
  playlistSize: number;
  seedDemo: boolean;
  uploadDir: string;
  uploadMaxBytes: number;
  /** ffmpeg (loudness, compressed copies): a path or a name on PATH; missing, those features wait. */
  ffmpegPath: string;
  /** The demo songs' rendered AAC files and their measurements. */
  demoAudioDir: string;
  loginLimits: { perUsernameAndIp: number; perIp: number; registrationsPerIp: number; windowSeconds: number };
  /** Client-side deadlines for the app's database: every query, and getting a connection. */
  dbTimeouts: { queryMs: number; acquireMs: number };
  /** wsrep_sync_wait for the app's pool (Galera), when set. */
  dbSyncWait?: number;
  /** How long a listener's read is retried on an unavailable database (0: not at all). */
  dbReadRetryMs: number;
  /** How long a write transaction cut off before COMMIT is tried again (0: not at all). */
  dbWriteRetryMs: number;
  /** How often the node answering the app is checked. */
  dbNodeCheckMs: number;
  /** Plays are written in batches this often (0: each at once). */
  playsFlushMs: number;
  /** A session's row is rewritten at most this often when only its expiry moves. */
  sessionTouchMs: number;
  /** Where /metrics is served: a port of its own, and/or the site's port with a bearer token. */
  metrics: { port?: number; host: string; token?: string };
  /** Slow clients get 408 from Node itself; idle keep-alive sockets close after keepAliveMs. */
  httpTimeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  /** How many server processes (node:cluster workers); 1 runs the server in this process. */
  webConcurrency: number;
  /** Which proxies' X-Forwarded-* headers to believe (express's `trust proxy`). */
  trustProxy: boolean | number | string;
  /** The site's own origin as the world sees it (no trailing slash); unset: each request's. */
  publicUrl?: string;
  /** Where mail goes out (nodemailer's URL form); unset: no mail can be sent. */
  smtpUrl?: string;
  /** The From of every mail. */
  mailFrom: string;
  resetLimits: { perAccount: number; perIp: number; windowSeconds: number };
  /** Expired sessions and rate-limit rows are swept in the background (not under test, whose tables are emptied per test). */
  sweepExpired: boolean;
  /** Static files are hashed again when they change (development: an edit shows on reload). */
  rehashAssets: boolean;
  /** The CSP asks browsers to load http:// subresources over https (production). */
  upgradeInsecureRequests: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = issue.path.join('.');
    const shown = env[variable] === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(env[variable])})`;
    throw new ConfigError(`Invalid environment variable ${variable}${shown}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid environment variable SESSION_SECRET: required in production');
  }
  const host = e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
  if (!e.SESSION_SECRET && !isLoopback(host)) {
    // Anyone who reads this repository could sign a session cookie for any account.
    throw new ConfigError(
      `Invalid environment variable SESSION_SECRET: the development secret may only serve this machine (HOST=${host} is reachable from others); set a secret of your own`,
    );
  }
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    // Otherwise link previews, oEmbed, embeds and mail would name whatever host a request claimed.
    throw new ConfigError(
      'Invalid environment variable PUBLIC_URL: required in production, the address (https://stereodose.example) that link previews, embeds, oEmbed and mail name',
    );
  }
  if (e.PUBLIC_URL?.startsWith('https:') && e.TRUST_PROXY === false) {
    // The app speaks plain HTTP: an https site has a TLS proxy in front, which must be trusted for
    // the app to see requests as https (its Secure session cookie) and each client's own address.
    throw new ConfigError(
      'Invalid environment variable TRUST_PROXY: PUBLIC_URL is https, so a TLS proxy is in front of the app; trust it (TRUST_PROXY=1, or its addresses)',
    );
  }
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    // A link built from the request's Host header would let anyone have us mail a victim a link to their own site.
    throw new ConfigError('Invalid environment variable SMTP_URL: needs PUBLIC_URL too, the address the links in mail point at');
  }
  const database = parseDatabaseUrl(e.DATABASE_URL, e.DATA_DIR);
  if (e.DATABASE_READ_URL && database.client !== 'mysql') {
    throw new ConfigError('Invalid environment variable DATABASE_READ_URL: needs DATABASE_URL to be a mysql:// URL too');
  }
  return Object.freeze({
    port: e.PORT,
    host,
    database,
    ...(e.DATABASE_READ_URL && { readDatabase: parseDatabaseUrl(e.DATABASE_READ_URL, e.DATA_DIR, 'DATABASE_READ_URL') }),
    // Development gets a fixed secret so sessions survive restarts; production must set its own.
    replica: { maxLagSeconds: e.REPLICA_MAX_LAG_SECONDS, checkEveryMs: e.REPLICA_CHECK_SECONDS * 1000 },
    sessionSecrets: e.SESSION_SECRET ?? ['development-only-secret-change-me-in-production'],
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    playlistSize: e.PLAYLIST_SIZE,
    seedDemo: e.SEED_DEMO,
    uploadDir: path.resolve(e.UPLOAD_DIR ?? path.join(e.DATA_DIR, 'uploads')),
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    ffmpegPath: e.FFMPEG_PATH,
    demoAudioDir: path.resolve(e.DEMO_AUDIO_DIR ?? path.join(e.DATA_DIR, 'demo-audio')),
    loginLimits: {
      perUsernameAndIp: e.LOGIN_LIMIT_PER_USER,
      perIp: e.LOGIN_LIMIT_PER_IP,
      registrationsPerIp: e.REGISTER_LIMIT_PER_IP,
      windowSeconds: e.LOGIN_LIMIT_WINDOW_MINUTES * 60,
    },
    dbTimeouts: { queryMs: e.DB_QUERY_TIMEOUT_MS, acquireMs: e.DB_ACQUIRE_TIMEOUT_MS },
    ...(e.DB_SYNC_WAIT !== undefined && { dbSyncWait: e.DB_SYNC_WAIT }),
    dbReadRetryMs: e.DB_READ_RETRY_MS ?? (e.NODE_ENV === 'test' ? 0 : 5000),
    dbWriteRetryMs: e.DB_WRITE_RETRY_MS ?? (e.NODE_ENV === 'test' ? 0 : 3000),
    dbNodeCheckMs: e.DB_NODE_CHECK_SECONDS * 1000,
    playsFlushMs: e.PLAYS_FLUSH_MS ?? (e.NODE_ENV === 'test' ? 0 : 1000),
    sessionTouchMs: e.SESSION_TOUCH_SECONDS * 1000,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, ...(e.METRICS_TOKEN && { token: e.METRICS_TOKEN }) },
    httpTimeouts: { headersMs: e.HTTP_HEADERS_TIMEOUT_MS, requestMs: e.HTTP_REQUEST_TIMEOUT_MS, keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    webConcurrency: e.WEB_CONCURRENCY ?? (e.NODE_ENV === 'production' ? os.availableParallelism() : 1),
    trustProxy: e.TRUST_PROXY,
    ...(e.PUBLIC_URL && { publicUrl: e.PUBLIC_URL }),
    ...(e.SMTP_URL && { smtpUrl: e.SMTP_URL }),
    mailFrom: e.MAIL_FROM,
    resetLimits: { perAccount: e.RESET_LIMIT_PER_ACCOUNT, perIp: e.RESET_LIMIT_PER_IP, windowSeconds: e.RESET_LIMIT_WINDOW_MINUTES * 60 },
    sweepExpired: e.NODE_ENV !== 'test',
    rehashAssets: e.NODE_ENV === 'development',
    upgradeInsecureRequests: e.NODE_ENV === 'production',
  });
}

/** Whether HOST names this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** `mysql://user:pass@host:port/db`, `sqlite:relative/or/absolute.sqlite`, or unset (SQLite under data/). */
export function parseDatabaseUrl(url: string | undefined, dataDir: string, variable = 'DATABASE_URL'): DatabaseConfig {
  if (!url) return { client: 'sqlite', filename: path.join(dataDir, 'stereodose.sqlite') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new ConfigError(`Invalid environment variable ${variable}: sqlite: needs a file name`);
    return { client: 'sqlite', filename: file === ':memory:' ? file : path.resolve(file) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Invalid environment variable ${variable}: not a valid URL`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new ConfigError(`Invalid environment variable ${variable}: needs a database name of letters, digits and _`);
  }
  return { client: 'mysql', url, database };
}
