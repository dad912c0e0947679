import { buildScheduleList, buildStatus } from '../../blocks/calendar';
import { buildChecklistMessage, buildChecklistPart, checklistParts, type ChecklistItemView, type ChecklistView } from '../../blocks/checklist';
import { buildFiguresModal } from '../../blocks/figures-modal';
import { buildDrHistory, drTestText, type DrTestView } from '../../blocks/dr';
import { buildDrRecordModal } from '../../blocks/dr-modal';
import { escapeMrkdwn, mention, mrkdwn, userGroupMention } from '../../blocks/format';
import { buildNotice, buildUsageMessage } from '../../blocks/help';
import {
  buildIncidentAnnouncement,
  buildIncidentChannelIntro,
  buildIncidentDetail,
  buildIncidentList,
  buildPage,
  buildTimelineEntry,
  type IncidentView,
  type TimelineEvent,
} from '../../blocks/incident';
import { buildDeclareModal } from '../../blocks/incident-modal';
import type { Message, Modal } from '../../blocks/limits';
import { buildProbeResults } from '../../blocks/probe';
import { buildFollowupList, buildReviewMessage } from '../../blocks/review';
import type { ReviewFacts } from '../../src/review/facts';
import { buildProblemModal } from '../../blocks/problem-modal';
import { buildSummaryMessage } from '../../blocks/summary';
import { pagedMarkup } from '../../src/incidents/steps';
import { sanitizeProse } from '../../src/summary/validate';
import { capText } from '../../src/user-text';
import { sampleFacts } from '../summary/fixtures';

/** A review's facts with every typed or external string `s`, `n` entries in each list. */
export function reviewFacts(s: string, n: number): ReviewFacts {
  const list = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
  return {
    incident: { id: 7, severity: 'P1', severityName: s, system: s, summary: s, declared: s, resolved: s, timeZone: s, resolutionNote: s },
    acknowledge: { minutes: 20, slaMinutes: 120, met: true },
    resolve: { minutes: 50, slaMinutes: 1440, met: false },
    escalations: list(() => ({ time: s, level: s, how: 'by hand' as const })),
    slaBreaches: 1,
    timeline: list((i) => ({ time: s, at: t0.toISOString(), kind: i % 2 ? 'note' : s, text: s, userId: 'UOPS' })),
    timelineOmitted: n,
    checklists: list(() => ({ name: s, state: s, items: 9, done: 3, problems: 2 })),
    probes: list(() => ({ time: s, probe: s, status: 'fail', summary: s })),
    probeFailures: n,
  };
}

/** The tokens the fixtures let the bot make itself: mentions of config ids, its channel, dates, its links. */
export const BOT_TOKEN =
  /^<(@(UDECL|UACK|URES|UOPS|USIGN)|!subteam\^SOPS|#C0INC|!date\^\d+\^[^|<>]*\|[^<>]*|https:\/\/drainpro\.slack\.com\/archives\/[A-Za-z0-9/]+\|[^<>]*)>$/;

const t0 = new Date('2026-03-02T14:00:00Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const PERMALINK = 'https://drainpro.slack.com/archives/C0INC/p1700000000000100';

function incident(s: string, over: Partial<IncidentView> = {}): IncidentView {
  return {
    id: 7,
    severity: 'p0',
    severityName: 'Critical',
    summary: s,
    systemLabel: s,
    declaredBy: 'UDECL',
    state: 'open',
    level: 0,
    levelName: s,
    nextLevelName: s,
    escalateTo: s,
    paged: ['UOPS'],
    declaredAt: t0,
    responseDueAt: at(15),
    resolutionDueAt: at(60),
    sla: { response: { state: 'breached', by: 5 * 60_000, done: false }, resolution: { state: 'running', left: 45 * 60_000 } },
    acknowledgedBy: 'UACK',
    acknowledgedAt: at(3),
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    incidentChannel: 'C0INC',
    origin: s,
    ...over,
  };
}

function events(s: string): TimelineEvent[] {
  return [
    { kind: 'declared', text: `P0 declared: ${s}`, at: t0, userId: 'UDECL' },
    { kind: 'paged', text: pagedMarkup(s, [mention('UOPS'), userGroupMention('SOPS')], escapeMrkdwn(s)), at: t0, userId: null },
    { kind: 'note', text: s, at: at(1), userId: 'UACK' },
    { kind: 'resolved', text: `Resolved: ${s}`, at: at(2), userId: 'URES' },
  ];
}

function item(s: string, n: number, over: Partial<ChecklistItemView> = {}): ChecklistItemView {
  return {
    id: `item-${n}`,
    title: s,
    checks: [s, s],
    target: s,
    status: 'problem',
    signedBy: 'USIGN',
    signedAt: at(5),
    signedAtText: s,
    note: s,
    probe: { name: s, status: 'fail', summary: s, evidence: s },
    sectionId: `section-${Math.floor(n / 6)}`,
    sectionTitle: s,
    figures: [{ label: s, value: capText(s, 200), target: s, changes: [s] }],
    ...over,
  };
}

function checklist(s: string, count: number): ChecklistView {
  return {
    runId: 3,
    name: s,
    dateText: s,
    ownerRole: s,
    durationMinutes: 20,
    onDemand: true,
    late: true,
    items: Array.from({ length: count }, (_, n) => item(s, n)),
    completion: { at: at(30), atText: s, by: ['USIGN', 'UOPS'], tookMs: 30 * 60_000 },
  };
}

/** Every message and modal builder, fed the same user text in every field that can hold it. */
export const BUILDERS: Record<string, (s: string) => (Message | Modal)[]> = {
  announcement: (s) => [
    buildIncidentAnnouncement(incident(s)),
    buildIncidentAnnouncement(incident(s, { state: 'resolved', resolvedBy: 'URES', resolvedAt: at(30), resolutionNote: s, nextLevelName: null })),
  ],
  detail: (s) => [buildIncidentDetail(incident(s), events(s))],
  timeline: (s) => events(s).map(buildTimelineEntry),
  list: (s) => [
    buildIncidentList([
      { v: incident(s), ageMs: 60_000 },
      { v: incident(s, { state: 'acknowledged' }), ageMs: 1 },
    ]),
  ],
  page: (s) => [buildPage(incident(s), mention('UOPS'), s, escapeMrkdwn(s)), buildPage(incident(s), userGroupMention('SOPS'), s, escapeMrkdwn(s))],
  channelIntro: (s) => [buildIncidentChannelIntro(incident(s), PERMALINK), buildIncidentChannelIntro(incident(s), null)],
  checklist: (s) => [buildChecklistMessage(checklist(s, 3)), buildChecklistMessage(checklist(s, 12))],
  checklistParts: (s) => {
    const view = checklist(s, 12);
    return checklistParts(view).map((p) => buildChecklistPart(view, p));
  },
  problemModal: (s) => [
    buildProblemModal({ runId: 3, itemId: 'item-1', itemTitle: s, status: 'problem', reason: mrkdwn`The \`${escapeMrkdwn(s)}\` probe failed.` }),
    buildProblemModal({ runId: 3, itemId: 'item-1', itemTitle: s, status: 'done' }),
  ],
  figuresModal: (s) => [
    buildFiguresModal({ runId: 3, itemId: 'item-1', itemTitle: s, fields: [{ id: 'leads', label: s, hint: s, target: s, initial: capText(s, 200) }] }),
  ],
  declareModal: (s) => [buildDeclareModal({ severities: [{ id: 'p0', label: s }], systems: [{ id: 'payments', label: s }] })],
  summary: (s) => {
    const facts = sampleFacts({
      checklists: {
        totals: { posted: 1, onTime: 1, late: 0, missed: 0, open: 0 },
        byChecklist: [{ checklistId: 'm', name: s, posted: 1, onTime: 1, late: 0, missed: 0, open: 0 }],
      },
      problems: { count: 1, items: [{ checklistId: 'm', itemId: 'x', itemTitle: s, signedBy: 'U1', note: s }], omitted: 0 },
      probes: { checks: 1, failures: 1, skipped: 0, bySystem: [{ probe: s, checks: 1, failures: 1, warnings: 1, skipped: 0 }] },
      figures: [{ figureId: 'f', label: s, unit: 'count', value: 3, previous: 2, change: 1, changePct: 50 }],
      drTests: [{ checklistId: 'dr', name: s, state: 'complete', restoreMinutes: 3, totalRecoveryMinutes: 9 }],
    });
    // The LLM's prose is bounded by its schema (src/summary/prose.ts) before it gets here.
    const line = capText(s, 240);
    const prose = sanitizeProse({ executiveSummary: capText(s, 700), wins: [line], challenges: [line, line], planNextWeek: [line] });
    return [buildSummaryMessage({ facts, prose, source: 'llm', model: s }), buildSummaryMessage({ facts, prose, source: 'fallback', fallbackReason: s })];
  },
  probes: (s) => [buildProbeResults([{ probe: s, status: 'fail', summary: s, evidence: s, durationMs: 12 }], 'UOPS')],
  calendar: (s) => [
    buildScheduleList([{ id: 'm', name: s, alias: s, when: s, nextText: s, durationMinutes: 5, channel: s }], s),
    buildStatus(s, [
      { name: s, timeText: s, state: 'open', late: true, onDemand: true, signed: 1, total: 3, problems: 2, link: PERMALINK },
      { name: s, timeText: s, state: 'missed', late: false, onDemand: false, signed: 0, total: 3, problems: 0 },
    ]),
  ],
  review: (s) =>
    [false, true].map((long) => buildReviewMessage({ facts: reviewFacts(s, long ? 2 : 1), narrative: long ? s : null, model: s, plainBecause: s })),
  followups: (s) => [
    buildFollowupList(
      Array.from({ length: 2 }, (_, i) => ({ id: i + 1, incidentId: 7, text: s, owner: 'UOPS', dueOn: '2026-03-04', overdue: i % 2 === 0 })),
      40,
      7,
    ),
  ],
  drTests: (s) => {
    const recorded: DrTestView = {
      name: s,
      dateText: s,
      runState: 'complete',
      record: { recoveryText: s, dataLossText: s, rtoMet: false, rpoMet: true, backupUsed: s, evidence: s, operator: 'USIGN', verifier: 'UOPS', resultText: s },
    };
    const bare: DrTestView = { name: s, dateText: s, runState: 'open' };
    return [
      buildDrHistory([recorded, bare, { ...recorded, record: { ...recorded.record!, verifier: null } }], { number: 1, pages: 2, total: 13 }),
      buildNotice(drTestText(recorded, 'short')),
      buildDrRecordModal({ runId: 3, itemTitle: s, targetText: s, initialStart: 1_700_000_000 }),
    ];
  },
  notices: (s) => [
    buildUsageMessage('/incident', [{ usage: 'note <id> <text>', description: 'add a note' }], mrkdwn`Unknown subcommand \`${escapeMrkdwn(capText(s, 40))}\`.`),
    buildNotice(mrkdwn`:warning: ${escapeMrkdwn(s)}`),
  ],
};
