// A real SMTP server inside the test process (smtp-server), keeping what it receives in memory,
// and just enough MIME reading to get a message's plain-text part back.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import request from 'supertest';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface TestSmtpServer {
  /** SMTP_URL for the app. */
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(options: Pick<SMTPServerOptions, 'onConnect'> = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    ...options,
    authOptional: true,
    // Plain SMTP on loopback: without this the server offers STARTTLS with a certificate nodemailer refuses.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const decodeQuotedPrintable = (body: string) =>
  Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** A header of the message (the first of that name), unfolded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head)?.[1]?.replace(/\r?\n[ \t]+/g, ' ');
}

/** The message's part of this type (text/plain, text/html), decoded as its Content-Transfer-Encoding says. */
export function partOf(raw: string, type: 'text/plain' | 'text/html'): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  const part = parts.find((p) => new RegExp(`content-type:\\s*${type}`, 'i').test(p));
  if (!part) throw new Error(`no ${type} part in:\n${raw}`);
  const split = /\r?\n\r?\n/.exec(part)!;
  const head = part.slice(0, split.index);
  const body = part.slice(split.index + split[0].length);
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** The path of the first link to this site's `prefix` (`/reset/`, `/verify-email/`) in a mail's plain text. */
export function linkPathIn(mail: ReceivedMail, prefix: string): string {
  const path = new RegExp(`https?://[^/\\s]+(${prefix}[A-Za-z0-9_-]{43})\\b`).exec(partOf(mail.raw, 'text/plain'))?.[1];
  if (!path) throw new Error(`no ${prefix} link in:\n${mail.raw}`);
  return path;
}

/** Opens the confirmation link in `mail` and presses its button, as its reader would: the address is confirmed. */
export async function confirmAddress(app: Parameters<typeof request.agent>[0], mail: ReceivedMail): Promise<void> {
  const path = linkPathIn(mail, '/verify-email/');
  const agent = request.agent(app);
  const page = await agent.get(path);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (page.status !== 200 || !_csrf) throw new Error(`the confirmation page answered ${page.status}`);
  const res = await agent.post(path).type('form').send({ _csrf });
  if (res.status !== 303) throw new Error(`confirming answered ${res.status}`);
}
