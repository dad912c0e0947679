import { json, startStandin, type RecordedRequest, type Reply, type Standin } from './server';

/**
 * Stripe's REST API for the three lists the payments probe reads. Lists are newest first,
 * `{object:'list', data, has_more, url}`, paged with `starting_after=<last id>` and filtered by
 * `created[gte]`; auth is `Authorization: Bearer <secret key>`, a wrong key gets Stripe's 401.
 */
export interface StandinCharge {
  id: string;
  status: 'succeeded' | 'failed' | 'pending';
  created: number; // unix seconds
  amount?: number;
}

export interface StandinStripeObject {
  id: string;
  created: number;
}

export interface StripeState {
  apiKey?: string;
  charges?: StandinCharge[];
  disputes?: StandinStripeObject[];
  earlyFraudWarnings?: StandinStripeObject[];
  /** Cap on items per page regardless of `limit` (to force pagination in tests). */
  pageSize?: number;
}

export interface StripeStandin extends Standin {
  state: StripeState;
}

function stripeError(status: number, type: string, message: string): Reply {
  return json(status, { error: { type, message, ...(status === 401 ? {} : { code: 'standin_error' }) } }, { 'request-id': 'req_standin' });
}

function listPage(req: RecordedRequest, items: { id: string; created: number }[], object: string, url: string, pageSize?: number): Reply {
  const gte = req.query.get('created[gte]');
  const filtered = items.filter((i) => gte === null || i.created >= Number(gte)).sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
  const after = req.query.get('starting_after');
  const start = after ? filtered.findIndex((i) => i.id === after) + 1 : 0;
  const limit = Math.min(Number(req.query.get('limit') ?? 10), pageSize ?? 100);
  const page = filtered.slice(start, start + limit);
  return json(200, {
    object: 'list',
    data: page.map((i) => ({ object, livemode: false, ...i })),
    has_more: start + limit < filtered.length,
    url,
  });
}

export async function startStripeStandin(state: StripeState = {}): Promise<StripeStandin> {
  const base = await startStandin({
    handle(req) {
      const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      if (state.apiKey && key !== state.apiKey) {
        const shown = key ? `${key.slice(0, 8)}****${key.slice(-4)}` : '';
        return stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${shown}`);
      }
      if (req.method !== 'GET') return stripeError(405, 'invalid_request_error', 'stand-in only serves GET');
      switch (req.path) {
        case '/v1/charges':
          return listPage(
            req,
            (state.charges ?? []).map((c) => ({ amount: 25_000, currency: 'usd', paid: c.status === 'succeeded', ...c })),
            'charge',
            req.path,
            state.pageSize,
          );
        case '/v1/disputes':
          return listPage(req, state.disputes ?? [], 'dispute', req.path, state.pageSize);
        case '/v1/radar/early_fraud_warnings':
          return listPage(req, state.earlyFraudWarnings ?? [], 'radar.early_fraud_warning', req.path, state.pageSize);
        default:
          return stripeError(404, 'invalid_request_error', `Unrecognized request URL (GET: ${req.path}).`);
      }
    },
    errorReply: (status) =>
      status === 401
        ? stripeError(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_****')
        : status === 403
          ? stripeError(403, 'invalid_request_error', 'The provided key does not have the required permissions for this endpoint.')
          : stripeError(status, 'api_error', 'An unknown error occurred'),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"object":"list","data":[{"id":' }),
  });
  return { ...base, state };
}
