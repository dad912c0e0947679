import { json, startStandin, type RecordedRequest, type Reply, type Standin } from './server';

/**
 * Twilio's 2010-04-01 REST API for `GET /2010-04-01/Accounts/{Sid}/Calls.json`: HTTP basic auth
 * (Account SID : Auth Token), `StartTime>` filter, Twilio paging (`page`, `page_size`,
 * `next_page_uri` with a PageToken) and Twilio's error body (`code`, `message`, `more_info`, `status`).
 */
export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'canceled' | 'completed' | 'failed' | 'busy' | 'no-answer';

export interface StandinCall {
  sid: string;
  status: CallStatus;
  startTime: Date;
}

export interface TwilioState {
  accountSid?: string;
  authToken?: string;
  calls?: StandinCall[];
  /** Cap on page size regardless of PageSize (to force pagination in tests). */
  pageSize?: number;
}

export interface TwilioStandin extends Standin {
  state: TwilioState;
}

function twilioError(status: number, code: number, message: string): Reply {
  return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function authorised(state: TwilioState, req: RecordedRequest, sidInPath: string): boolean {
  const m = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
  if (!m?.[1]) return false;
  const [user, pass] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return user === (state.accountSid ?? sidInPath) && (state.authToken === undefined || pass === state.authToken) && user === sidInPath;
}

function listCalls(state: TwilioState, req: RecordedRequest, sid: string): Reply {
  const after = req.query.get('StartTime>');
  const calls = (state.calls ?? [])
    .filter((c) => !after || c.startTime.getTime() >= Date.parse(after))
    .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
  const pageSize = Math.min(Number(req.query.get('PageSize') ?? 50), state.pageSize ?? 1000);
  const page = Number(req.query.get('Page') ?? 0);
  const token = req.query.get('PageToken');
  const start = token ? Number(Buffer.from(token.replace(/^PA/, ''), 'base64url').toString('utf8')) : 0;
  const slice = calls.slice(start, start + pageSize);
  const base = `/2010-04-01/Accounts/${sid}/Calls.json`;
  const filter = after ? `StartTime%3E=${encodeURIComponent(after)}&` : '';
  const uriFor = (p: number, s: number) =>
    `${base}?${filter}PageSize=${pageSize}&Page=${p}${s > 0 ? `&PageToken=PA${Buffer.from(String(s)).toString('base64url')}` : ''}`;
  const hasNext = start + pageSize < calls.length;
  return json(200, {
    calls: slice.map((c) => ({
      sid: c.sid,
      account_sid: sid,
      status: c.status,
      direction: 'inbound',
      from: '+15555550100',
      to: '+15555550199',
      start_time: c.startTime.toUTCString().replace('GMT', '+0000'),
      date_created: c.startTime.toUTCString().replace('GMT', '+0000'),
      uri: `${base.replace('.json', '')}/${c.sid}.json`,
    })),
    end: start + slice.length - 1,
    first_page_uri: uriFor(0, 0),
    next_page_uri: hasNext ? uriFor(page + 1, start + pageSize) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1, Math.max(0, start - pageSize)) : null,
    start,
    uri: req.path + (req.query.toString() ? `?${req.query.toString()}` : ''),
  });
}

export async function startTwilioStandin(state: TwilioState = {}): Promise<TwilioStandin> {
  const base = await startStandin({
    handle(req) {
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/.exec(req.path);
      if (!m?.[1]) return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
      if (!authorised(state, req, m[1])) return twilioError(401, 20003, 'Authenticate');
      return listCalls(state, req, m[1]);
    },
    errorReply: (status) =>
      status === 401 || status === 403 ? twilioError(status, 20003, 'Authenticate') : twilioError(status, 20500, 'An internal server error has occurred'),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Service Unavailable</body></html>' }),
  });
  return { ...base, state };
}
