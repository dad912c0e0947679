import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds, BlockIds, CallbackIds, IncidentIds, InputActionIds } from '../../blocks/ids';
import { messageProblems } from '../../src/slack/limits';
import { signSlackRequest } from '../../src/slack/verify';
import { slashCommand } from '../../sandbox/payloads';
import { postSigned, SIGNING_SECRET } from '../support/slack-requests';
import { encode, mutationCases, realBases, rng, type Rng, type Scene } from './real-payloads';
import { expectNoSecrets, fakeProbes, startFaultBot, type FaultBot } from './support';

/**
 * 10,000 generated slash-command texts and interaction payloads, signed and sent over HTTP with
 * bounded concurrency: zero 5xx, the process alive, and every reply (HTTP body, response_url
 * bodies, every message and modal Slack was asked to show) within Block Kit's limits. The
 * generator is seeded, so a failure names a case that can be replayed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260302);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const CONCURRENCY = 16;
/** Real payloads with fields nulled, removed or of another type (every single one, then random pairs and triples). */
const MUTATED_CASES = Number(process.env.FUZZ_MUTATED_CASES ?? 10_000);

const NASTY = [
  '',
  ' ',
  '\n\t\r',
  "'; drop table checklist_runs; --",
  '" OR 1=1 --',
  '<!channel> <!here> <@U123>',
  '<script>alert(1)</script>',
  '${process.env.SLACK_BOT_TOKEN}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00%ff',
  '\u0000\u0001\u0002',
  '\u202e\u200b\ufeff',
  '🚒🔥💧🧯',
  'Ωμέγα 中文 العربية עברית',
  '\ud800',
  '`code` *bold* _it_ ~strike~ > quote',
  'null',
  'undefined',
  'NaN',
  '-1',
  '99999999999999999999',
  '0x7fffffff',
  '1|system-health',
  '999999|system-health',
  '1|../../x',
  'true',
  '[]',
  '{}',
];
const WORDS = [
  'morning',
  'evening',
  'help',
  'probe',
  'health',
  'all',
  'here',
  'stripe',
  'payments',
  'weekly',
  'monthly',
  'status',
  'list',
  'incident',
  'xyzzy',
  'MORNING',
  'Probe',
  'PROBE ALL HERE',
];

function text(r: Rng): string {
  switch (r.int(6)) {
    case 0:
      return r.pick(NASTY);
    case 1:
      return Array.from({ length: 1 + r.int(4) }, () => r.pick(WORDS)).join(r.pick([' ', '  ', '\t', '\n']));
    case 2:
      return `${r.pick(WORDS)} ${r.pick(NASTY)}`;
    case 3:
      return r
        .pick(NASTY)
        .repeat(1 + r.int(400))
        .slice(0, 1 + r.int(8000));
    case 4:
      return String.fromCodePoint(
        ...Array.from({ length: r.int(60) }, () => r.pick([r.int(0x80), 0x80 + r.int(0x780), 0x4e00 + r.int(0x5000), 0x1f300 + r.int(0x300)])),
      );
    default:
      return `probe ${r.pick(['health', 'all', 'nope', ''])} ${r.pick(['here', '', 'there', r.pick(NASTY)])}`;
  }
}

/** A value of the wrong type as often as of the right one. */
function anyValue(r: Rng, valid: () => unknown): unknown {
  return r.pick([
    valid,
    () => r.pick(NASTY),
    () => r.int(1e6),
    () => null,
    () => ({ nested: r.pick(NASTY) }),
    () => [r.pick(NASTY)],
    () => true,
    () => undefined,
    () => 'x'.repeat(r.int(20_000)),
  ])();
}

interface Known {
  runId: number;
  channel: string;
  ts: string;
  items: string[];
}

function interaction(r: Rng, k: Known, n: number): Record<string, string> {
  const user = anyValue(r, () => ({ id: r.pick(['UALICE', 'UBOB', 'UTECH']), name: 'x', team_id: 'T0DRAIN' }));
  const kind = r.int(10);
  if (kind < 6) {
    const action = {
      action_id: anyValue(r, () => r.pick([ActionIds.itemDone, ActionIds.itemProblem, ActionIds.itemNa, 'unknown_action', 'item_done ', ''])),
      block_id: anyValue(r, () => BlockIds.itemActions(r.pick(k.items))),
      type: anyValue(r, () => r.pick(['button', 'static_select', 'overflow'])),
      value: anyValue(r, () =>
        r.pick([`${k.runId}|${r.pick(k.items)}`, `${k.runId + 1000}|${r.pick(k.items)}`, `${k.runId}|no-such-item`, `${k.runId}|${r.pick(NASTY)}`]),
      ),
      action_ts: anyValue(r, () => `${1772460000 + n}.${r.int(1e6)}`),
      text: { type: 'plain_text', text: 'b' },
    };
    const payload: Record<string, unknown> = {
      type: anyValue(r, () => 'block_actions'),
      user,
      api_app_id: 'A0DRAINPRO',
      team: anyValue(r, () => ({ id: 'T0DRAIN', domain: 'drainpro' })),
      trigger_id: anyValue(r, () => `trigger-fuzz-${n}`),
      container: anyValue(r, () => ({ type: 'message', message_ts: r.pick([k.ts, '1.000001', r.pick(NASTY)]), channel_id: k.channel, is_ephemeral: false })),
      channel: anyValue(r, () => ({ id: r.pick([k.channel, 'CNOPE', '']), name: 'ops' })),
      message: anyValue(r, () => ({ type: 'message', ts: r.pick([k.ts, '2.000002']), text: '' })),
      response_url: `RESPONSE_URL/fuzz-${n}`,
      actions: anyValue(r, () => r.pick([[action], [], [action, action], [{}]])),
    };
    return { payload: JSON.stringify(payload) };
  }
  if (kind < 9) {
    const payload = {
      type: anyValue(r, () => 'view_submission'),
      user,
      team: { id: 'T0DRAIN', domain: 'drainpro' },
      api_app_id: 'A0DRAINPRO',
      trigger_id: `trigger-fuzz-${n}`,
      view: anyValue(r, () => ({
        id: anyValue(r, () => `VFUZZ${n}`),
        type: 'modal',
        callback_id: anyValue(r, () => r.pick([CallbackIds.problemNote, 'unknown_view'])),
        private_metadata: anyValue(r, () =>
          r.pick([
            JSON.stringify({ runId: k.runId, itemId: r.pick(k.items), status: r.pick(['problem', 'done', 'na', 'hacked']) }),
            JSON.stringify({ runId: r.pick(NASTY), itemId: 1 }),
            r.pick(NASTY),
          ]),
        ),
        state: anyValue(r, () => ({
          values: anyValue(r, () => ({ [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: anyValue(r, () => text(r)) } } })),
        })),
        hash: 'h',
      })),
      response_urls: [],
    };
    return { payload: JSON.stringify(payload) };
  }
  // Other shapes: unknown types, shortcuts, events, a payload that is not JSON at all.
  return r.pick([
    () => ({ payload: r.pick(NASTY) }),
    () => ({
      payload: JSON.stringify({
        type: r.pick(['shortcut', 'message_action', 'block_suggestion', 'view_closed', 'nope']),
        user,
        callback_id: r.pick(NASTY),
        trigger_id: `t${n}`,
        team: { id: 'T0DRAIN' },
      }),
    }),
    () => ({ payload: JSON.stringify(anyValue(r, () => ({}))) }),
    () => ({
      command: r.pick(['/ops', '/incident', '/nope', '']),
      text: text(r),
      user_id: 'UALICE',
      team_id: 'T0DRAIN',
      channel_id: 'COPS',
      trigger_id: `t${n}`,
      response_url: `RESPONSE_URL/fuzz-${n}`,
    }),
  ])();
}

function slash(r: Rng, n: number): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T0DRAIN',
    team_domain: 'drainpro',
    channel_id: r.pick(['COPS', 'CNOPE', 'D0DM', '']),
    channel_name: 'ops',
    user_id: r.pick(['UALICE', 'UTECH', '', 'W123']),
    user_name: 'alice',
    command: '/ops',
    text: text(r),
    api_app_id: 'A0DRAINPRO',
    response_url: `RESPONSE_URL/fuzz-${n}`,
    trigger_id: `trigger-fuzz-${n}`,
  };
}

/** Posts a checklist, opens the bot's modals and declares an incident, and reads back what Slack was given. */
async function buildScene(t: FaultBot): Promise<Scene> {
  const openedView = async (send: () => Promise<unknown>) => {
    const before = t.slack.callsOf('views.open').length;
    await send();
    const call = await t.slack.waitFor(() => t.slack.callsOf('views.open')[before], 8000);
    return { id: `VFUZZ${before}`, view: call.args.view as Record<string, any> };
  };
  const posted = t.slack.messages.length;
  await t.slash('morning');
  const isChecklist = (b: any) => b.type === 'actions' && b.elements?.some((e: any) => e.action_id === ActionIds.itemDone);
  const msg = await t.slack.waitFor(() => t.slack.messages.slice(posted).find((m) => m.blocks?.some(isChecklist)), 8000);
  const elements = msg.blocks!.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements as { action_id: string; value: string }[]);
  const refs = elements.filter((e) => e.action_id === ActionIds.itemDone).map((e) => e.value.split('|'));
  const runId = Number(refs[0]![0]);
  const items = refs.map((r) => r[1]!);
  const figuresItem = elements.find((e) => e.action_id === ActionIds.itemFigures)?.value.split('|')[1];
  const problemView = await openedView(() =>
    t.click({ actionId: ActionIds.itemProblem, value: `${runId}|${items[1]}`, channelId: msg.channel, messageTs: msg.ts }),
  );
  const figuresView = figuresItem
    ? await openedView(() => t.click({ actionId: ActionIds.itemFigures, value: `${runId}|${figuresItem}`, channelId: msg.channel, messageTs: msg.ts }))
    : undefined;
  const declareView = await openedView(() =>
    postSigned(t.bot.url, slashCommand({ command: '/incident', text: '', responseUrl: t.slack.responseUrl('scene-declare') })),
  );
  await postSigned(
    t.bot.url,
    slashCommand({
      command: '/incident',
      text: 'p3 Fuzz base incident',
      triggerId: 'trigger-scene-incident',
      responseUrl: t.slack.responseUrl('scene-incident'),
    }),
  );
  const announced = await t.slack.waitFor(
    () => t.slack.messages.find((m) => m.blocks?.some((b: any) => b.type === 'actions' && b.elements?.some((e: any) => e.action_id === IncidentIds.ack))),
    8000,
  );
  const ack = announced.blocks!.flatMap((b: any) => (b.type === 'actions' ? b.elements : [])).find((e: any) => e.action_id === IncidentIds.ack) as {
    value: string;
  };
  const [id, level] = ack.value.split('|').map(Number) as [number, number];
  return {
    runId,
    items,
    figuresItem,
    checklist: { channel: msg.channel, ts: msg.ts, text: msg.text, blocks: msg.blocks! },
    incident: { id, level, channel: announced.channel, ts: announced.ts, text: announced.text, blocks: announced.blocks! },
    problemView,
    figuresView,
    declareView,
    responseUrl: (rid) => t.slack.responseUrl(rid),
  };
}

/** Sends requests with bounded concurrency; returns what went wrong (5xx, broken Block Kit, `check`'s complaints). */
async function sendAll(
  url: string,
  requests: { label: string; contentType: string; body: string }[],
  check?: (label: string, status: number) => string | undefined,
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= requests.length) return;
      const { label, contentType, body } = requests[n]!;
      const headers = { 'content-type': contentType, ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) };
      const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
      const reply = await res.text();
      if (res.status >= 500) failures.push(`case ${n} (${label}): HTTP ${res.status} ${reply.slice(0, 80)} for ${body.slice(0, 200)}`);
      const complaint = check?.(label, res.status);
      if (complaint) failures.push(`case ${n} (${label}): ${complaint}`);
      if (reply.startsWith('{')) {
        const json = JSON.parse(reply) as Record<string, unknown>;
        if (!json.response_action) {
          const p = messageProblems(json);
          if (p) failures.push(`case ${n} (${label}): ack breaks Block Kit: ${p}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

let t: FaultBot;
let scene: Scene;
beforeAll(async () => {
  t = await startFaultBot({ probes: fakeProbes(0) });
  scene = await buildScene(t);
}, 60_000);
afterAll(async () => {
  expectNoSecrets(t.logs);
  await t.close();
}, 60_000);

describe('fault: bad input', () => {
  it(`${CASES} generated slash texts and interaction payloads (seed ${SEED}): no 5xx, no crash, every reply valid Block Kit`, async () => {
    await t.slash('morning');
    const msg = await t.slack.waitFor(() => t.slack.messages[0], 8000);
    const items = msg.blocks!.filter((b: any) => b.type === 'actions').map((b: any) => String(b.elements[0].value).split('|')[1]!);
    const known: Known = {
      runId: Number(String((msg.blocks!.find((b: any) => b.type === 'actions') as any).elements[0].value).split('|')[0]),
      channel: msg.channel,
      ts: msg.ts,
      items,
    };
    const r = rng(SEED);
    const forms = Array.from({ length: CASES }, (_, n) => (n % 2 === 0 ? slash(r, n) : interaction(r, known, n)));
    const responseBase = t.slack.responseUrl('');
    const requests = forms.map((form, n) => {
      // URLSearchParams (not querystring) so a lone surrogate becomes U+FFFD as a browser would send it.
      const body = new URLSearchParams(
        Object.entries(form).map(([k, v]): [string, string] => [
          k,
          String(v ?? '')
            .split('RESPONSE_URL/')
            .join(responseBase),
        ]),
      ).toString();
      return { label: n % 2 === 0 ? 'slash' : 'interaction', contentType: 'application/x-www-form-urlencoded', body };
    });
    const failures = await sendAll(t.bot.url, requests);
    await new Promise((res) => setTimeout(res, 500));
    expect(failures.slice(0, 10)).toEqual([]);
    // response_url bodies, chat.* messages and modals were checked by the stand-in as they came.
    expect(t.slack.problems.slice(0, 10)).toEqual([]);
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
    expect(
      t.logs
        .filter((l) => l.includes('"level":50'))
        .map((l) => l.slice(0, 300))
        .slice(0, 10),
    ).toEqual([]);
  }, 180_000);

  it('malformed envelopes built from real payloads get a 400, never a 500', async () => {
    const bases = realBases(scene);
    const base = (name: string) => bases.find((b) => b.name === name)!.value;
    const broken = [
      { label: 'block_actions channel null', base: bases.find((b) => b.name === 'done')!, value: { ...base('done'), channel: null } },
      { label: 'message_action channel null', base: bases.find((b) => b.name === 'message-shortcut')!, value: { ...base('message-shortcut'), channel: null } },
      {
        label: 'event user null',
        base: bases.find((b) => b.name === 'message-event')!,
        value: { ...base('message-event'), event: { ...(base('message-event').event as object), user: null } },
      },
    ];
    for (const c of broken) {
      for (let i = 0; i < 5; i += 1) {
        const { contentType, body } = encode(c);
        const res = await fetch(`${t.bot.url}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': contentType, ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) },
          body,
        });
        expect({ case: c.label, status: res.status, text: await res.text() }).toEqual({ case: c.label, status: 400, text: 'malformed request' });
      }
    }
    expect(t.logs.some((l) => l.includes('refused a signed request Slack would not send') && l.includes('channel is null'))).toBe(true);
  }, 60_000);

  it(`${MUTATED_CASES} real payloads with a field nulled, removed or of another type (seed ${SEED}): no 5xx; the payloads as sent are accepted`, async () => {
    const cases = mutationCases(realBases(scene), MUTATED_CASES, rng(SEED));
    const requests = cases.map((c) => ({ label: c.label, ...encode(c) }));
    const failures = await sendAll(t.bot.url, requests, (label, status) =>
      label.endsWith(' as sent') && status !== 200 ? `a real payload was answered ${status}` : undefined,
    );
    await t.bot.idle(30_000);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(t.slack.problems.slice(0, 10)).toEqual([]);
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
    expect(
      t.logs
        .filter((l) => l.includes('"level":50'))
        .map((l) => l.slice(0, 300))
        .slice(0, 10),
    ).toEqual([]);
  }, 240_000);
});
