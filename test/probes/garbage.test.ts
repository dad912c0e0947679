import { afterEach, describe, expect, it } from 'vitest';
import { createAgentsProbe } from '../../src/probes/agents';
import { createAlarmsProbe } from '../../src/probes/alarms';
import { createBackupsProbe } from '../../src/probes/backups';
import { createErrorsProbe } from '../../src/probes/errors';
import { createForwardingProbe } from '../../src/probes/forwarding';
import { createHealthProbe } from '../../src/probes/health';
import { createPaymentsProbe } from '../../src/probes/payments';
import type { Probe } from '../../src/probes/types';
import type { Standin } from '../../sandbox/standins/server';
import { startCloudWatchStandin } from '../../sandbox/standins/cloudwatch';
import { startHealthStandin } from '../../sandbox/standins/health';
import { startS3Standin } from '../../sandbox/standins/s3';
import { startStripeStandin } from '../../sandbox/standins/stripe';
import { startTwilioStandin } from '../../sandbox/standins/twilio';
import { awsEnv, expectSummaryClean, runDirect, settingsWith } from './helpers';

/**
 * Every probe against its outside system answering in shapes no SDK expects (an edge proxy's 503
 * without the API's error fields, HTML, empty and cut bodies, `null`, a list, an empty object):
 * the item is marked unknown with the reason, never ok, and the probe never throws.
 */
const GARBAGE = [
  { name: '503 without the usual fields', status: 503, body: '{"error":"Service Unavailable"}' },
  { name: '502 HTML page', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' },
  { name: '500 empty', status: 500, body: '' },
  { name: '200 empty', status: 200, body: '' },
  { name: '200 HTML page', status: 200, body: '<!doctype html><html><body>Sign in</body></html>', contentType: 'text/html' },
  { name: '200 cut JSON', status: 200, body: '{"data": [{"id": "x", ' },
  { name: '200 null', status: 200, body: 'null' },
  { name: '200 list', status: 200, body: '[1, "two", null]' },
  { name: '200 empty object', status: 200, body: '{}' },
  { name: '200 XML-looking garbage', status: 200, body: '<?xml version="1.0"?><Nope/>', contentType: 'application/xml' },
];

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-standin-0001';
const KEY = 'sk_test_51DrainProStandinKey0000';

const PROBES: { name: string; start: () => Promise<{ standin: Standin; probe: Probe }> }[] = [
  {
    name: 'health',
    start: async () => ((s) => ({ standin: s, probe: createHealthProbe({ HEALTH_URL: `${s.url}/api/health` }, settingsWith()) }))(await startHealthStandin()),
  },
  {
    name: 'agents',
    start: async () => ((s) => ({ standin: s, probe: createAgentsProbe({ HEALTH_URL: `${s.url}/api/health` }, settingsWith()) }))(await startHealthStandin()),
  },
  { name: 'alarms', start: async () => ((s) => ({ standin: s, probe: createAlarmsProbe(awsEnv(s.url), settingsWith()) }))(await startCloudWatchStandin()) },
  { name: 'errors', start: async () => ((s) => ({ standin: s, probe: createErrorsProbe(awsEnv(s.url), settingsWith()) }))(await startCloudWatchStandin()) },
  {
    name: 'backups',
    start: async () =>
      ((s) => ({ standin: s, probe: createBackupsProbe(awsEnv(s.url, { BACKUP_BUCKET: 'drainpro-backups' }), settingsWith()) }))(await startS3Standin()),
  },
  {
    name: 'payments',
    start: async () =>
      ((s) => ({ standin: s, probe: createPaymentsProbe({ STRIPE_SECRET_KEY: KEY, STRIPE_API_URL: s.url }, settingsWith()) }))(
        await startStripeStandin({ apiKey: KEY }),
      ),
  },
  {
    name: 'forwarding',
    start: async () =>
      ((s) => ({ standin: s, probe: createForwardingProbe({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_API_URL: s.url }, settingsWith()) }))(
        await startTwilioStandin({ accountSid: SID, authToken: TOKEN }),
      ),
  },
];

let open: Standin | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('probes against outside systems answering garbage', () => {
  const cases = PROBES.flatMap((p) => GARBAGE.map((g) => [p.name, g.name, p, g] as const));
  it.each(cases)('%s, %s: unknown with the reason, no exception', async (_p, _g, p, g) => {
    const { standin, probe } = await p.start();
    open = standin;
    standin.setFault({ kind: 'raw', status: g.status, body: g.body, ...(g.contentType ? { contentType: g.contentType } : {}) });
    const out = await runDirect(probe);
    expect(out.status).toBe('unknown');
    expect(out.summary.length).toBeGreaterThan(3);
    expectSummaryClean(out.summary);
    expect(out.summary).not.toMatch(/undefined|Cannot read properties|\[object Object\]/);
    expect(standin.requests.length).toBeGreaterThan(0);
  });
});
