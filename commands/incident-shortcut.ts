import type { MessageShortcut } from '@slack/bolt';
import { buildRefusal } from '../blocks/help';
import { IncidentIds } from '../blocks/ids';
import { buildDeclareModal, SUMMARY_MAX } from '../blocks/incident-modal';
import type { Deps } from '../src/deps';
import { declareRefusal } from '../src/rights';
import { SEVERITIES, SYSTEMS } from '../src/config/incidents';
import type { ListenerRoutes } from '../src/slack/listener-routes';
import { userText } from '../src/user-text';
import { reportError, tellUser } from './respond';

/** The declare form's choices: the severities (named by the config) and the systems. */
export function modalOptions(deps: Deps) {
  return {
    severities: SEVERITIES.map((s) => ({ id: s, label: `${s.toUpperCase()} — ${deps.config.incidents.severities[s].name}` })),
    systems: SYSTEMS,
  };
}

/**
 * The message shortcut "Declare an incident": the declare modal, prefilled with the message's
 * text (decoded, made storable and cut at a grapheme boundary to the summary's limit — it is a
 * plain_text input, so whatever it holds shows as typed), carrying the message's channel and ts
 * to the submission, which links the incident back to it (src/incidents/flows.ts).
 */
export function registerDeclareShortcut(routes: ListenerRoutes, deps: Deps): void {
  routes.shortcut<MessageShortcut>(IncidentIds.declareShortcut, async ({ ack, shortcut, respond }) => {
    const user = shortcut.user.id;
    // The same right as declaring: refused before any form is shown.
    const refusal = declareRefusal(deps.config, user);
    if (refusal) {
      await ack();
      return tellUser(deps, respond, buildRefusal(refusal));
    }
    // The modal opens before the ack's wait for a follow-up turn: a trigger id lives 3 s.
    const turn = ack();
    try {
      const summary = userText(shortcut.message?.text, { slackEncoded: true, max: SUMMARY_MAX });
      // Checked as the submission will check it: a payload without a usable message still opens the form, unlinked.
      const source = sourceMessageOf(JSON.stringify({ channel: shortcut.channel?.id, ts: shortcut.message_ts ?? shortcut.message?.ts }));
      const view = buildDeclareModal({ ...modalOptions(deps), summary, ...(source ? { privateMetadata: JSON.stringify(source) } : {}) });
      await deps.slack.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (err) {
      await turn;
      return reportError(deps, err, respond, { shortcut: IncidentIds.declareShortcut, user });
    }
    await turn;
  });
}

/** The message a declare form came from (its private_metadata), or null: a form from `/incident`, or not one of mine. */
export function sourceMessageOf(metadata: string | undefined): { channel: string; ts: string } | null {
  if (!metadata) return null;
  try {
    const m = JSON.parse(metadata) as { channel?: unknown; ts?: unknown };
    if (typeof m.channel === 'string' && /^[CGD][A-Z0-9]{2,20}$/.test(m.channel) && typeof m.ts === 'string' && /^\d{1,12}\.\d{1,8}$/.test(m.ts))
      return { channel: m.channel, ts: m.ts };
  } catch {
    // not JSON: not a form of mine
  }
  return null;
}
