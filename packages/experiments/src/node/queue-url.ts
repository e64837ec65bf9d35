// The queue URL: `redis://[[user]:password@]host[:port][/db]`. Its password goes to the connection
// only; everything that prints or writes shows the URL with the password replaced by `***`.
/** Where and as whom to connect (plain fields that both ioredis and BullMQ take). */
export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

/** A parsed queue URL: the connection options, the URL safe to print, and a scrubber for any text. */
export interface QueueEndpoint {
  connection: QueueConnection;
  /** The URL with its password (if any) shown as `***`. */
  display: string;
  /** Replaces every occurrence of the password (plain and URL-encoded) in `text` with `***`. */
  scrub(text: string): string;
}

/** Parses a `redis://` queue URL (`fn` names the caller in errors, which never show the password). */
export function parseQueueUrl(fn: string, url: unknown): QueueEndpoint {
  if (typeof url !== 'string') throw new TypeError(`${fn}: queue must be a redis:// URL string, got ${url === null ? 'null' : typeof url}`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // The text may hold a password: show only its scheme and length.
    throw new RangeError(`${fn}: queue must be a URL of the form redis://[:password@]host:port, got a string of ${url.length} characters that is not a URL`);
  }
  const secret = u.password;
  const secrets = secret ? [...new Set([decodeURIComponent(secret), secret])].filter((s) => s.length > 0) : [];
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const shown = new URL(u.href);
  if (shown.password) shown.password = '***';
  const display = scrub(shown.href.replace(/\/$/, ''));
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RangeError(`${fn}: queue must be a redis:// or rediss:// URL, got scheme "${u.protocol.replace(/:$/, '')}" (${display})`);
  if (!u.hostname) throw new RangeError(`${fn}: queue URL has no host (${display})`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new RangeError(`${fn}: queue URL's database must be a non-negative integer, got "${scrub(dbText)}" (${display})`);
  if (u.search || u.hash) throw new RangeError(`${fn}: queue URL takes no query or fragment (${display})`);
  const connection: QueueConnection = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(secret ? { password: decodeURIComponent(secret) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { connection, display, scrub };
}
