import type { BlockAction, ButtonAction, RespondFn, SlashCommand } from '@slack/bolt';
import { buildNotice, buildRefusal, buildUsageMessage, type HelpEntry } from '../blocks/help';
import { SUMMARY_MAX } from '../blocks/incident-modal';
import { IncidentIds, parseIncidentRef } from '../blocks/ids';
import { escapeMrkdwn, joinMrkdwn, mrkdwn, type Mrkdwn } from '../blocks/format';
import type { Message } from '../blocks/limits';
import type { Deps } from '../src/deps';
import { describeError, newRef } from '../src/errors';
import { parseSeverity, SYSTEMS, type Severity, type SystemId } from '../src/config/incidents';
import { acknowledgeIncident, declareIncident, escalateNow, type ActionResult, type DeclareResult } from '../src/incidents/flows';
import { allDelivered, describeAnnouncement, describePages } from '../src/incidents/outcome';
import { postMessage } from '../src/slack/slack-io';
import { declareRefusal } from '../src/rights';
import { capText, userText } from '../src/user-text';
import { parseCommand } from './parse';
import { reportError, tellUser } from './respond';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { registerReviewActions, REVIEW_HELP } from './incident-review';
import { registerDeclareShortcut, sourceMessageOf } from './incident-shortcut';
import { LIFECYCLE_HELP, openResolveModal, registerIncidentLifecycle, tellClicker } from './incident-lifecycle';
import type { Ack, IncidentContext } from './incident-context';
import { INCIDENT_SUBCOMMANDS } from './incident-subcommands';

const HELP: HelpEntry[] = [
  { usage: 'p0|p1|p2|p3 <summary>', description: 'declare an incident (also critical|high|medium|low)' },
  { usage: '', description: 'open the declare form' },
  { usage: 'list', description: 'open incidents, their age and SLA state' },
  { usage: 'show <id>', description: 'an incident and its timeline' },
  { usage: 'ack <id>', description: 'acknowledge: paging stops' },
  { usage: 'resolve <id> [note]', description: 'resolve the incident' },
  { usage: 'note <id> <text>', description: 'add a note to the timeline' },
  ...LIFECYCLE_HELP,
  ...REVIEW_HELP,
  { usage: 'help', description: 'show this help' },
];

/** The plain usage is the same every time: rendered once (escaping each line was a fifth of what a help request allocated). */
const USAGE = buildUsageMessage('/incident', HELP);
const usage = (problem?: Mrkdwn) => (problem ? buildUsageMessage('/incident', HELP, problem) : USAGE);
/** The outcome in words: a warning icon when Slack did not take everything the change meant to show. */
const notice = (r: ActionResult) => {
  const warnings = r.kind === 'done' ? (r.warnings ?? []) : [];
  const icon =
    r.kind === 'done'
      ? warnings.some((w) => !/^(Paged |Posted in )/.test(w))
        ? mrkdwn`:warning:`
        : mrkdwn`:white_check_mark:`
      : r.kind === 'refused'
        ? mrkdwn`:no_entry:`
        : mrkdwn`:information_source:`;
  return buildNotice(joinMrkdwn([mrkdwn`${icon} ${r.message}`, ...warnings], ' '));
};

/** "Declared #12 (P1). Announced in #incidents. Paged Technical Lead (<@U1>)." — or what failed and what to do. */
export function declaredNotice(deps: Deps, r: Extract<DeclareResult, { kind: 'declared' }>): Message {
  const { incident } = r;
  const pages = r.notifyOnly
    ? [
        mrkdwn`Nobody is paged for ${escapeMrkdwn(deps.config.incidents.severities[incident.severity].name)} incidents: the config notifies the incidents channel only.`,
      ]
    : describePages(r.pages);
  const ok = !r.channelProblem && (r.notifyOnly ? allDelivered(r.announcement, []) : allDelivered(r.announcement, r.pages));
  return buildNotice(
    joinMrkdwn(
      [
        mrkdwn`${ok ? mrkdwn`:white_check_mark:` : mrkdwn`:warning:`} Declared #${incident.id} (${escapeMrkdwn(incident.severity.toUpperCase())}).`,
        describeAnnouncement(r.announcement),
        ...(r.channelProblem ? [r.channelProblem] : []),
        ...pages,
      ],
      ' ',
    ),
  );
}

/** `/incident …`: parse, dispatch; ack first, slow work answers by response_url. */
export async function handleIncident(deps: Deps, command: SlashCommand, ack: Ack, respond: RespondFn): Promise<void> {
  const parsed = parseCommand(command.text);
  const user = command.user_id;
  const ackEphemeral = (m: Message) => ack({ response_type: 'ephemeral', ...m });
  const c: IncidentContext = { deps, command, parsed, user, ack, ackEphemeral, respond, notice, usage };
  if (Object.hasOwn(INCIDENT_SUBCOMMANDS, parsed.sub)) return INCIDENT_SUBCOMMANDS[parsed.sub]!(c);
  return declareBySeverity(c);
}

/** `/incident p0|p1|p2|p3 <summary>` (or critical|high|medium|low); any other word gets the usage. */
async function declareBySeverity({ deps, command, parsed, user, ackEphemeral, respond, usage }: IncidentContext): Promise<void> {
  const severity = parseSeverity(parsed.sub);
  if (!severity) return ackEphemeral(usage(mrkdwn`Unknown subcommand \`${escapeMrkdwn(capText(parsed.sub, 40))}\`.`));
  const refusal = declareRefusal(deps.config, user);
  if (refusal) return ackEphemeral(buildRefusal(refusal));
  const summary = capText(parsed.rest, SUMMARY_MAX).trim();
  if (!summary) return ackEphemeral(usage(mrkdwn`Say what is happening: \`/incident ${escapeMrkdwn(parsed.sub)} &lt;summary&gt;\`.`));
  await ackEphemeral(buildNotice(mrkdwn`:rotating_light: Declaring a ${escapeMrkdwn(severity.toUpperCase())} incident…`));
  // Slack's retry of this request carries the same trigger_id: it finds the incident already declared.
  const r = await declareIncident(deps, { severity, summary, declaredBy: user, source: 'slash', dedupeKey: `trigger:${command.trigger_id}` });
  if (r.kind === 'declared') await tellUser(deps, respond, declaredNotice(deps, r), { replace: true });
  // Only a replay after a crash finds its own declaration: the first reply may never have left.
  else
    await tellUser(deps, respond, buildNotice(mrkdwn`:information_source: Incident #${r.incident.id} was already declared by this request.`), {
      replace: true,
    });
}

async function handleButton(deps: Deps, kind: 'ack' | 'resolve' | 'escalate', body: BlockAction, action: ButtonAction, respond: RespondFn): Promise<void> {
  const ref = parseIncidentRef(action.value);
  if (!ref) {
    await tellUser(deps, respond, buildNotice(mrkdwn`:warning: That button is not one of mine any more.`));
    return;
  }
  const userId = body.user.id;
  // Resolve asks for the resolution note first (a modal); the form's submit resolves.
  if (kind === 'resolve') return openResolveModal(deps, body, action, respond, notice);
  const r = kind === 'ack' ? await acknowledgeIncident(deps, { id: ref.id, userId }) : await escalateNow(deps, { id: ref.id, userId, clickedLevel: ref.level });
  // The announcement itself shows success; refusals, no-ops and what Slack refused need words.
  if (r.kind !== 'done' || r.warnings?.length) await tellClicker(deps, body.user.id, respond, notice(r));
}

type InputState = { value?: unknown; selected_option?: { value?: unknown } | null };

/** An input's text, or '' when it is empty or not text at all. */
const textOf = (v: unknown) => (typeof v === 'string' ? v : '');

function readModal(values: Record<string, Record<string, InputState>>) {
  const severity = parseSeverity(textOf(values[IncidentIds.severityBlock]?.[IncidentIds.severityInput]?.selected_option?.value));
  const summary = userText(values[IncidentIds.summaryBlock]?.[IncidentIds.summaryInput]?.value, { slackEncoded: false });
  const systemRaw = textOf(values[IncidentIds.systemBlock]?.[IncidentIds.systemInput]?.selected_option?.value);
  const system = SYSTEMS.find((s) => s.id === systemRaw)?.id;
  const errors: Record<string, string> = {};
  if (!severity) errors[IncidentIds.severityBlock] = 'Pick a severity.';
  if (!summary) errors[IncidentIds.summaryBlock] = 'Say what is happening.';
  else if (summary.length > SUMMARY_MAX) errors[IncidentIds.summaryBlock] = `Keep it under ${SUMMARY_MAX} characters.`;
  if (!system) errors[IncidentIds.systemBlock] = 'Pick the affected system.';
  return Object.keys(errors).length
    ? { ok: false as const, errors }
    : { ok: true as const, severity: severity as Severity, summary, system: system as SystemId };
}

export function registerIncident(routes: ListenerRoutes, deps: Deps): void {
  routes.command('/incident', async ({ command, ack, respond }) => {
    let acked = false;
    const once: Ack = async (m) => {
      if (acked) return;
      acked = true;
      await ack(m);
    };
    try {
      await handleIncident(deps, command, once, respond);
    } catch (err) {
      await once(buildNotice(mrkdwn`:hourglass_flowing_sand: Working on it…`));
      await reportError(deps, err, respond, { command: '/incident', user: command.user_id }, { replace: true });
    } finally {
      await once();
    }
  });
  const buttons: [string, 'ack' | 'resolve' | 'escalate'][] = [
    [IncidentIds.ack, 'ack'],
    [IncidentIds.resolve, 'resolve'],
    [IncidentIds.escalate, 'escalate'],
  ];
  for (const [actionId, kind] of buttons) {
    routes.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      try {
        await handleButton(deps, kind, body, action, respond);
      } catch (err) {
        await reportError(deps, err, respond, { action: actionId, user: body.user.id });
      }
    });
  }
  registerIncidentLifecycle(routes, deps, notice);
  registerReviewActions(routes, deps, notice);
  registerDeclareShortcut(routes, deps);
  routes.view(IncidentIds.declareModal, async ({ ack, body, view }) => {
    // Checked again at submit: a hand-made submission never saw the refused /incident.
    const refusal = declareRefusal(deps.config, body.user.id);
    if (refusal) {
      await ack({ response_action: 'errors', errors: { [IncidentIds.summaryBlock]: refusal } });
      return;
    }
    const form = readModal(view.state.values);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack();
    try {
      const from = sourceMessageOf(view.private_metadata);
      // One modal is one submission: a double submit or a retry declares once.
      const r = await declareIncident(deps, {
        severity: form.severity,
        summary: form.summary,
        system: form.system,
        declaredBy: body.user.id,
        source: from ? 'message' : 'modal',
        ...(from ? { fromMessage: { channel: from.channel, permalink: (await deps.permalinks.of(from.channel, from.ts)) ?? null } } : {}),
        dedupeKey: `view:${view.id}`,
      });
      // A modal has no response_url: the outcome reaches the declarer by DM (best effort).
      if (r.kind === 'declared')
        await postMessage(deps, { channel: body.user.id, ...declaredNotice(deps, r) }).catch((err: unknown) =>
          deps.logger.error({ incident: r.incident.id, user: body.user.id, err: describeError(err) }, 'could not tell the declarer the outcome'),
        );
    } catch (err) {
      const ref = newRef();
      deps.logger.error({ ref, err: describeError(err), user: body.user.id }, 'incident declaration failed');
      await deps.slack.chat
        .postMessage({
          channel: body.user.id,
          text: mrkdwn`:x: Your incident could not be declared (ref \`${escapeMrkdwn(ref)}\`). Please try again or use \`/incident p0 &lt;summary&gt;\`.`,
        })
        .catch(() => undefined);
    }
  });
}
