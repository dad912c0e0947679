/**
 * The fields of a Slack request that Bolt's routing and our listeners read before anything can
 * answer, in the types Slack always sends. A signed body that breaks them (only a bug, a replayed
 * hand-edited request or a fuzzer sends one) would make Bolt throw before any ack, which surfaces
 * as a 500; both transports refuse it instead (HTTP: 400; Socket Mode: an empty ack).
 *
 * The checks follow Bolt's own classification of a body (`getTypeAndConversation`: event, then
 * command, then options, then actions, then shortcut, then view), so each body is checked as what
 * Bolt will take it for. Fields nothing reads are left alone; the values inside a form (a button's
 * value, a modal's inputs, private_metadata) are the listeners' to check.
 */

type Check = (v: unknown) => string | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kind(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

const str: Check = (v) => (typeof v === 'string' ? null : `is ${kind(v)}, not a string`);
const bool: Check = (v) => (typeof v === 'boolean' ? null : `is ${kind(v)}, not a boolean`);
const num: Check = (v) => (typeof v === 'number' ? null : `is ${kind(v)}, not a number`);
/** Slack's response_url: the listeners answer there, so it must be one fetch can post to. */
const url: Check = (v) => {
  if (typeof v !== 'string') return str(v);
  return /^https?:\/\//i.test(v) && URL.canParse(v) ? null : 'is not an http(s) URL';
};
const opt =
  (c: Check): Check =>
  (v) =>
    v === undefined ? null : c(v);
const orNull =
  (c: Check): Check =>
  (v) =>
    v === null ? null : c(v);
const either =
  (...cs: Check[]): Check =>
  (v) => {
    let first: string | null = null;
    for (const c of cs) {
      const p = c(v);
      if (p === null) return null;
      first ??= p;
    }
    return first;
  };

/** An object whose listed fields pass their checks (other fields are not looked at). */
const obj =
  (spec: Record<string, Check> = {}): Check =>
  (v) => {
    if (!isObject(v)) return `is ${kind(v)}, not an object`;
    for (const [k, c] of Object.entries(spec)) {
      const p = c(v[k]);
      if (p !== null) return p.startsWith('is ') ? `.${k} ${p}` : `.${k}${p}`;
    }
    return null;
  };

/** A list whose every element passes `c`. */
const list =
  (c: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return `is ${kind(v)}, not a list`;
    for (let i = 0; i < v.length; i += 1) {
      const p = c(v[i]);
      if (p !== null) return p.startsWith('is ') ? `[${i}] ${p}` : `[${i}]${p}`;
    }
    return null;
  };

/** An object used as a map: every value passes `c`. */
const mapOf =
  (c: Check): Check =>
  (v) => {
    if (!isObject(v)) return `is ${kind(v)}, not an object`;
    for (const [k, x] of Object.entries(v)) {
      const p = c(x);
      if (p !== null) return p.startsWith('is ') ? `.${k} ${p}` : `.${k}${p}`;
    }
    return null;
  };

function check(body: Record<string, unknown>, spec: Record<string, Check>): string | null {
  const p = obj(spec)(body);
  return p === null ? null : p.replace(/^\./, '');
}

/** What every interaction carries (Bolt's buildSource reads user, team, enterprise, channel). */
const INTERACTION: Record<string, Check> = {
  type: str,
  user: obj({ id: str, team_id: opt(str) }),
  // null when the app is installed org-wide
  team: opt(orNull(obj({ id: opt(str), enterprise_id: opt(str) }))),
  enterprise: opt(orNull(obj({ id: opt(str) }))),
  // Bolt reads channel.id whenever channel is not undefined: null would throw.
  channel: opt(obj({ id: str })),
  api_app_id: opt(str),
  token: opt(str),
  trigger_id: opt(str),
  response_url: opt(url),
  response_urls: opt(list(obj({ response_url: url }))),
  is_enterprise_install: opt(either(bool, str)),
  // Only custom workflow functions send these; Bolt would build a client from them.
  function_data: opt(obj({ execution_id: str })),
  bot_access_token: opt(str),
};

const BLOCK_ACTION: Check = obj({
  action_id: str,
  type: str,
  block_id: opt(str),
  action_ts: str,
  value: opt(str),
  selected_option: opt(orNull(obj({ value: str }))),
});

/** A modal's inputs: block id → action id → element state. */
const STATE: Check = obj({ values: mapOf(mapOf(obj({ type: opt(str) }))) });

const VIEW = (submitted: boolean): Check =>
  obj({
    id: str,
    callback_id: str,
    type: opt(str),
    private_metadata: opt(str),
    hash: opt(str),
    // Bolt takes it as the team id when present
    app_installed_team_id: opt(str),
    state: submitted ? STATE : opt(STATE),
  });

const EVENT: Check = obj({
  type: str,
  // Bolt's buildSource: a string, or an object it reads `.id` of; null would throw.
  user: opt(either(str, obj({ id: opt(str) }))),
  // Bolt reads `.id` and `.creator` of an object channel and uses `in` on it: a number would throw.
  channel: opt(either(str, obj({ id: opt(str), creator: opt(str) }))),
  channel_id: opt(str),
  item: opt(obj({ channel: opt(str) })),
  subteam: opt(obj({ created_by: opt(str) })),
  function_execution_id: opt(str),
  bot_access_token: opt(str),
});

const EVENT_CALLBACK: Record<string, Check> = {
  type: str,
  event: EVENT,
  team_id: opt(str),
  enterprise_id: opt(orNull(str)),
  api_app_id: opt(str),
  event_id: opt(str),
  event_time: opt(num),
  is_enterprise_install: opt(bool),
  authorizations: opt(list(obj({ team_id: opt(orNull(str)), enterprise_id: opt(orNull(str)), is_enterprise_install: opt(bool) }))),
};

/** Every slash command carries these; the listeners key retries on trigger_id and answer by response_url. */
const COMMAND: Record<string, Check> = {
  command: str,
  text: opt(str),
  user_id: str,
  channel_id: opt(str),
  team_id: opt(str),
  enterprise_id: opt(str),
  trigger_id: str,
  response_url: url,
  is_enterprise_install: opt(either(bool, str)),
};

/** Why a signed body is not one Slack would send, or null when it is fine to hand to Bolt. */
export function envelopeProblem(body: Record<string, unknown>): string | null {
  if (body.event !== undefined) return check(body, EVENT_CALLBACK);
  if (body.type === 'event_callback') return 'event is missing';
  if (body.command !== undefined) return check(body, COMMAND);
  if (body.name !== undefined || body.type === 'block_suggestion') return check(body, INTERACTION);
  if (body.actions !== undefined || body.type === 'dialog_submission') {
    // Bolt matches listeners on action_id (and block_id) with String#match whenever the key is there.
    const actions = body.type === 'block_actions' ? list(BLOCK_ACTION) : list(obj({ action_id: opt(str), block_id: opt(str) }));
    return check(body, { ...INTERACTION, actions: body.type === 'dialog_submission' ? opt(actions) : actions, view: opt(obj()) });
  }
  if (body.type === 'block_actions') return 'actions is missing';
  if (body.type === 'shortcut' || body.type === 'message_action') return check(body, { ...INTERACTION, callback_id: str, message: opt(obj()) });
  if (body.type === 'view_submission' || body.type === 'view_closed') return check(body, { ...INTERACTION, view: VIEW(body.type === 'view_submission') });
  // Anything else Bolt does not route (no listener runs); it is answered with an empty 200.
  return typeof body.type === 'string' ? null : 'neither a command, an event nor an interaction';
}
