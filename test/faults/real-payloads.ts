import { seededRandom } from '../support/prng';
import { ActionIds, BlockIds, CallbackIds, IncidentIds, incidentRef, InputActionIds } from '../../blocks/ids';
import { APP_ID, appHomeOpened, blockAction, slashCommand, TEAM, viewBlockAction, viewClosed, viewSubmission, type ViewValue } from '../../sandbox/payloads';

/**
 * Real Slack request bodies (built with the sandbox's builders from what the bot actually posted
 * and opened), and every way of breaking one field of them: each path set to null, removed, or
 * given a value of another type. Strings that hold JSON (private_metadata) are opened up too.
 */

/** The seeded generator with the picks the fuzzer needs. */
export function rng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
export type Rng = ReturnType<typeof rng>;

export type Kind = 'interaction' | 'event' | 'slash';
export interface Base {
  name: string;
  kind: Kind;
  value: Record<string, unknown>;
}

/** What the bot posted and opened, read back from the Slack stand-in. */
export interface Scene {
  runId: number;
  items: string[];
  figuresItem: string | undefined;
  checklist: { channel: string; ts: string; text: string; blocks: unknown[] };
  incident: { id: number; level: number; channel: string; ts: string; text: string; blocks: unknown[] };
  problemView: { id: string; view: Record<string, any> };
  figuresView: { id: string; view: Record<string, any> } | undefined;
  declareView: { id: string; view: Record<string, any> };
  responseUrl: (id: string) => string;
}

const parse = (form: Record<string, string>) => JSON.parse(form.payload!) as Record<string, unknown>;
const user = { id: 'UALICE', username: 'alice', name: 'alice', team_id: TEAM.id };

/** Fixed trigger ids, action_ts and view ids: every accepted variant is a retry of one request, so the run stays small. */
export function realBases(s: Scene): Base[] {
  const message = (m: { text: string; blocks: unknown[] }) => ({ text: m.text, blocks: m.blocks.slice(0, 3) });
  const click = (name: string, actionId: string, value: string, on: Scene['checklist'], blockId: string): Base => ({
    name,
    kind: 'interaction',
    value: parse(
      blockAction({
        actionId,
        value,
        blockId,
        channelId: on.channel,
        messageTs: on.ts,
        message: message(on),
        actionTs: '1772460000.000100',
        triggerId: `trigger-fuzz-${name}`,
        responseUrl: s.responseUrl(`fuzz-${name}`),
      }),
    ),
  });
  const item = s.items[0]!;
  const sub = (name: string, v: { id: string; view: Record<string, any> }, values: Record<string, Record<string, ViewValue>>): Base => ({
    name,
    kind: 'interaction',
    value: parse(viewSubmission({ callbackId: v.view.callback_id, privateMetadata: v.view.private_metadata ?? '', values, viewId: v.id, view: { ...v.view } })),
  });
  const figureValues = Object.fromEntries(
    (s.figuresView?.view.blocks ?? [])
      .filter((b: any) => b.type === 'input')
      .map((b: any, i: number) => [b.block_id, { [b.element.action_id]: { type: 'plain_text_input', value: String(10 + i) } }]),
  );
  const bases: Base[] = [
    click('done', ActionIds.itemDone, `${s.runId}|${item}`, s.checklist, BlockIds.itemActions(item)),
    click('problem', ActionIds.itemProblem, `${s.runId}|${s.items[1] ?? item}`, s.checklist, BlockIds.itemActions(s.items[1] ?? item)),
    click('na', ActionIds.itemNa, `${s.runId}|${s.items[2] ?? item}`, s.checklist, BlockIds.itemActions(s.items[2] ?? item)),
    ...(s.figuresItem ? [click('figures', ActionIds.itemFigures, `${s.runId}|${s.figuresItem}`, s.checklist, BlockIds.itemActions(s.figuresItem))] : []),
    click('incident-ack', IncidentIds.ack, incidentRef(s.incident.id, s.incident.level), s.incident, IncidentIds.actionsBlock(s.incident.id)),
    click('incident-escalate', IncidentIds.escalate, incidentRef(s.incident.id, s.incident.level), s.incident, IncidentIds.actionsBlock(s.incident.id)),
    {
      name: 'select-in-modal',
      kind: 'interaction',
      value: parse(
        viewBlockAction({
          actionId: IncidentIds.severityInput,
          elementType: 'static_select',
          selectedOption: { text: 'P3', value: 'p3' },
          blockId: IncidentIds.severityBlock,
          actionTs: '1772460000.000200',
          triggerId: 'trigger-fuzz-select',
          view: { ...s.declareView.view, id: s.declareView.id },
        }),
      ),
    },
    sub('submit-note', s.problemView, { [BlockIds.noteInput]: { [InputActionIds.note]: { type: 'plain_text_input', value: 'Pump 2 is leaking' } } }),
    ...(s.figuresView ? [sub('submit-figures', s.figuresView, figureValues)] : []),
    sub('submit-declare', s.declareView, {
      [IncidentIds.severityBlock]: {
        [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p3', text: { type: 'plain_text', text: 'P3' } as never } },
      },
      [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: 'Fuzzed declaration' } },
      [IncidentIds.systemBlock]: {
        [IncidentIds.systemInput]: {
          type: 'static_select',
          selected_option: { value: String((s.declareView.view.blocks as any[])[2].element.options[0].value) },
        },
      },
    }),
    {
      name: 'close-modal',
      kind: 'interaction',
      value: parse(
        viewClosed({ callbackId: CallbackIds.problemNote, privateMetadata: s.problemView.view.private_metadata, userId: 'UALICE', viewId: s.problemView.id }),
      ),
    },
    {
      name: 'message-shortcut',
      kind: 'interaction',
      value: {
        type: 'message_action',
        token: 'legacy-verification-token',
        action_ts: '1772460000.000300',
        team: { ...TEAM },
        user,
        channel: { id: s.checklist.channel, name: 'ops' },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: 'fuzz_shortcut',
        trigger_id: 'trigger-fuzz-msg-shortcut',
        response_url: s.responseUrl('fuzz-msg-shortcut'),
        message_ts: s.checklist.ts,
        message: { type: 'message', user: 'UBOT', ts: s.checklist.ts, text: s.checklist.text },
      },
    },
    {
      name: 'global-shortcut',
      kind: 'interaction',
      value: {
        type: 'shortcut',
        token: 'legacy-verification-token',
        action_ts: '1772460000.000400',
        team: { ...TEAM },
        user,
        is_enterprise_install: false,
        enterprise: null,
        callback_id: 'fuzz_global',
        trigger_id: 'trigger-fuzz-global',
      },
    },
    { name: 'app-home-opened', kind: 'event', value: { ...appHomeOpened('UALICE', 'D0ALICE'), event_id: 'EvFUZZHOME' } },
    {
      name: 'message-event',
      kind: 'event',
      value: {
        token: 'legacy-verification-token',
        team_id: TEAM.id,
        api_app_id: APP_ID,
        type: 'event_callback',
        event_id: 'EvFUZZMSG',
        event_time: 1772460000,
        is_ext_shared_channel: false,
        authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        event: {
          type: 'message',
          channel: s.checklist.channel,
          user: 'UALICE',
          text: 'hello',
          ts: '1772460000.000500',
          event_ts: '1772460000.000500',
          channel_type: 'channel',
        },
      },
    },
    {
      name: 'reaction-event',
      kind: 'event',
      value: {
        token: 'legacy-verification-token',
        team_id: TEAM.id,
        api_app_id: APP_ID,
        type: 'event_callback',
        event_id: 'EvFUZZREACT',
        event_time: 1772460000,
        event: {
          type: 'reaction_added',
          user: 'UALICE',
          reaction: 'eyes',
          item_user: 'UBOT',
          item: { type: 'message', channel: s.checklist.channel, ts: s.checklist.ts },
          event_ts: '1772460000.000600',
        },
      },
    },
  ];
  const slash = (name: string, command: string, text: string): Base => ({
    name,
    kind: 'slash',
    value: slashCommand({ command, text, triggerId: `trigger-fuzz-${name}`, responseUrl: s.responseUrl(`fuzz-${name}`) }),
  });
  bases.push(
    slash('ops-status', '/ops', 'status'),
    slash('incident-show', '/incident', `show ${s.incident.id}`),
    slash('slash-incident-ack', '/incident', `ack ${s.incident.id}`),
  );
  return bases;
}

export type Segment = string | number | { json: true };
export const MISSING = Symbol('missing');
export const MUTATIONS: readonly { name: string; value: unknown }[] = [
  { name: 'null', value: null },
  { name: 'missing', value: MISSING },
  { name: 'a number', value: 42 },
  { name: 'a string', value: 'fuzz' },
  { name: 'a boolean', value: true },
  { name: 'a list', value: [] },
  { name: 'an object', value: {} },
];

function jsonObject(s: string): Record<string, unknown> | undefined {
  if (!s.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every path under `v` (not `v` itself), inner paths of JSON-holding strings included. */
export function pathsOf(v: unknown, prefix: Segment[] = []): Segment[][] {
  const out: Segment[][] = [];
  const inner = typeof v === 'string' ? jsonObject(v) : undefined;
  if (inner) return pathsOf(inner, [...prefix, { json: true }]);
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)) {
    const p = [...prefix, k];
    out.push(p, ...pathsOf(x, p));
  }
  return out;
}

/** A copy of `root` with the value at `path` replaced (MISSING removes it). */
export function setAt(root: unknown, path: readonly Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'object') return JSON.stringify(setAt(JSON.parse(root as string), rest, value));
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length === 0 && value === MISSING) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const copy = { ...(root as Record<string, unknown>) };
  if (rest.length === 0 && value === MISSING) delete copy[head as string];
  else copy[head as string] = setAt(copy[head as string], rest, value);
  return copy;
}

export const pathName = (p: readonly Segment[]) => p.map((s) => (typeof s === 'object' ? '(json)' : s)).join('.');

export interface Case {
  label: string;
  base: Base;
  value: Record<string, unknown>;
}

/** Every single-field mutation of every base (all of them, whatever `total`), then seeded random two- and three-field ones up to `total`. */
export function mutationCases(bases: readonly Base[], total: number, r: Rng): Case[] {
  const cases: Case[] = bases.map((base) => ({ label: `${base.name} as sent`, base, value: base.value }));
  const paths = bases.map((b) => pathsOf(b.value));
  bases.forEach((base, i) => {
    for (const p of paths[i]!)
      for (const m of MUTATIONS)
        cases.push({ label: `${base.name}: ${pathName(p)} ${m.name}`, base, value: setAt(base.value, p, m.value) as Record<string, unknown> });
  });
  while (cases.length < total) {
    const i = r.int(bases.length);
    const base = bases[i]!;
    let value: unknown = base.value;
    const parts: string[] = [];
    for (let k = 0, n = 2 + r.int(2); k < n; k += 1) {
      const p = r.pick(pathsOf(value));
      if (!p) break;
      const m = r.pick(MUTATIONS);
      value = setAt(value, p, m.value);
      parts.push(`${pathName(p)} ${m.name}`);
    }
    cases.push({ label: `${base.name}: ${parts.join(', ')}`, base, value: value as Record<string, unknown> });
  }
  return cases;
}

/** The request Slack would make for a case: interactions as a form field, events as JSON, slash commands as a form (JSON once a field is not a string). */
export function encode(c: Case): { contentType: string; body: string } {
  if (c.base.kind === 'interaction')
    return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: JSON.stringify(c.value) }).toString() };
  if (c.base.kind === 'slash' && Object.values(c.value).every((v) => typeof v === 'string')) {
    return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(c.value as Record<string, string>).toString() };
  }
  return { contentType: 'application/json', body: JSON.stringify(c.value) };
}
