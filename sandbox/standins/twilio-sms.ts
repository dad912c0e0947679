import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../../src/http/server';
import { parse as parseQs } from 'node:querystring';

export interface SentSms {
  accountSid: string;
  to: string;
  from: string;
  body: string;
  auth: { user: string; password: string } | null;
}

/**
 * A local stand-in of Twilio's Messages API speaking its wire format:
 * POST /2010-04-01/Accounts/{Sid}/Messages.json, form-encoded To/From/Body, HTTP basic auth,
 * a JSON message resource (201) back, or Twilio's error JSON.
 */
export class TwilioSmsStandin {
  readonly sent: SentSms[] = [];
  failNext = 0;
  /** Raw answers given, one per request, before anything else (an edge proxy's 503, HTML, an empty or cut body). */
  readonly garbage: { status: number; body: string; contentType?: string }[] = [];
  /** The next request is answered this much later (0: at once); `received` counts arrivals. */
  stallNextMs = 0;
  received = 0;
  private server: Server | undefined;
  url = '';
  constructor(
    readonly accountSid = 'ACtest00000000000000000000000000',
    readonly authToken = 'twilio-test-token',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        this.received += 1;
        if (this.stallNextMs) {
          const ms = this.stallNextMs;
          this.stallNextMs = 0;
          await new Promise((r) => setTimeout(r, ms));
        }
        const raw = this.garbage.shift();
        if (raw) {
          res.writeHead(raw.status, { 'content-type': raw.contentType ?? 'application/json' });
          return res.end(raw.body);
        }
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !m) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
        const [user, password] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
        if (user !== this.accountSid || password !== this.authToken || m[1] !== this.accountSid) {
          return send(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
        }
        if (this.failNext > 0) {
          this.failNext -= 1;
          return send(500, { code: 20500, message: 'Internal Server Error', status: 500 });
        }
        const form = parseQs(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
        if (!form.To || !form.From || !form.Body) return send(400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
        this.sent.push({ accountSid: m[1]!, to: form.To, from: form.From, body: form.Body, auth: { user: user!, password: password! } });
        const sid = `SM${String(this.sent.length).padStart(32, '0')}`;
        send(201, {
          sid,
          account_sid: m[1],
          to: form.To,
          from: form.From,
          body: form.Body,
          status: 'queued',
          num_segments: '1',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          date_created: new Date().toUTCString(),
          uri: `/2010-04-01/Accounts/${m[1]}/Messages/${sid}.json`,
        });
      });
    });
    this.url = `http://127.0.0.1:${await listen(this.server, 0, '127.0.0.1')}`;
    return this;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}
