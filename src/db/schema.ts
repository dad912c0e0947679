import { sql } from 'drizzle-orm';
import type { ChecklistDef } from '../checklists/types';
import { bigserial, boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One posting of a checklist. `periodKey` is the scheduled period (e.g. `2026-03-02T09:00`) or
 * `adhoc:<request id>` for on-demand runs, so (checklist, period) claims a period exactly once.
 * `definition` freezes the checklist as posted, so later config edits never reshape a live run.
 */
export const checklistRuns = pgTable(
  'checklist_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    checklistId: text('checklist_id').notNull(),
    periodKey: text('period_key').notNull(),
    kind: text('kind', { enum: ['scheduled', 'on_demand'] }).notNull(),
    state: text('state', { enum: ['open', 'complete', 'missed'] })
      .notNull()
      .default('open'),
    late: boolean('late').notNull().default(false),
    scheduledFor: ts('scheduled_for'),
    definition: jsonb('definition').$type<ChecklistDef>().notNull(),
    channel: text('channel').notNull(),
    messageTs: text('message_ts'),
    /** Threaded section messages of a long checklist: section id → ts. */
    sectionMessages: jsonb('section_messages').$type<Record<string, string>>().notNull().default({}),
    requestedBy: text('requested_by'),
    createdAt: ts('created_at').notNull(),
    postedAt: ts('posted_at'),
    /** Whoever posts the message holds this lease; an expired lease on an unposted run lets the delivery sweep re-post it. */
    deliveryLeaseUntil: ts('delivery_lease_until'),
    completedAt: ts('completed_at'),
    version: integer('version').notNull().default(0),
  },
  (t) => [
    uniqueIndex('checklist_runs_period_uq').on(t.checklistId, t.periodKey),
    index('checklist_runs_created_idx').on(t.createdAt),
    index('checklist_runs_unposted_idx').on(t.createdAt).where(sql`${t.messageTs} is null and ${t.state} = 'open'`),
  ],
);

export const ITEM_STATUSES = ['pending', 'done', 'problem', 'na'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Current state of each item of a run; the history is in `item_events`. */
export const checklistItems = pgTable(
  'checklist_items',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => checklistRuns.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    position: integer('position').notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('pending'),
    signedBy: text('signed_by'),
    signedAt: ts('signed_at'),
    note: text('note'),
    probeStatus: text('probe_status'),
    probeSummary: text('probe_summary'),
    probeEvidence: jsonb('probe_evidence'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.itemId] })],
);

/** Append-only audit log of sign-offs. `requestKey` makes a Slack retry or replay a no-op. */
export const itemEvents = pgTable(
  'item_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => checklistRuns.id, { onDelete: 'cascade' }),
    itemId: text('item_id').notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull(),
    previousStatus: text('previous_status', { enum: ITEM_STATUSES }).notNull(),
    userId: text('user_id').notNull(),
    note: text('note'),
    requestKey: text('request_key').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [uniqueIndex('item_events_request_uq').on(t.requestKey), index('item_events_run_idx').on(t.runId)],
);

/** Figures entered for a period ("Total leads: ____"), kept for comparisons and summaries. */
export const metrics = pgTable(
  'metrics',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id').references(() => checklistRuns.id, { onDelete: 'set null' }),
    checklistId: text('checklist_id').notNull(),
    itemId: text('item_id').notNull(),
    figureId: text('figure_id').notNull(),
    periodStart: ts('period_start').notNull(),
    unit: text('unit').notNull(),
    value: numeric('value', { mode: 'number' }),
    textValue: text('text_value'),
    enteredBy: text('entered_by').notNull(),
    enteredAt: ts('entered_at').notNull(),
  },
  (t) => [uniqueIndex('metrics_run_figure_uq').on(t.runId, t.itemId, t.figureId), index('metrics_figure_period_idx').on(t.figureId, t.periodStart)],
);

/** Every probe verdict, with or without a run, for history and the weekly summary. */
export const probeResults = pgTable(
  'probe_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id').references(() => checklistRuns.id, { onDelete: 'set null' }),
    probe: text('probe').notNull(),
    status: text('status').notNull(),
    summary: text('summary').notNull(),
    evidence: jsonb('evidence').notNull().default({}),
    durationMs: integer('duration_ms').notNull(),
    checkedAt: ts('checked_at').notNull(),
  },
  (t) => [index('probe_results_checked_idx').on(t.checkedAt)],
);

/**
 * Every timer (escalation step, reminder, SLA deadline) is a row with a due time. A sweep claims
 * due rows with FOR UPDATE SKIP LOCKED and marks them fired in the same transaction, so a crash,
 * a restart or a second replica neither loses nor repeats a step. (kind, ref, step) is unique so
 * scheduling the same step twice is a no-op.
 */
export const timers = pgTable(
  'timers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    refId: text('ref_id').notNull(),
    step: integer('step').notNull().default(0),
    dueAt: ts('due_at').notNull(),
    firedAt: ts('fired_at'),
    cancelledAt: ts('cancelled_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    payload: jsonb('payload').notNull().default({}),
  },
  (t) => [
    uniqueIndex('timers_step_uq').on(t.kind, t.refId, t.step),
    index('timers_due_idx').on(t.dueAt).where(sql`${t.firedAt} is null and ${t.cancelledAt} is null`),
  ],
);

/**
 * Notifications waiting to reach Slack (pages, reminders, timeline entries). Written in the same
 * transaction as the state change they announce, delivered in id order per channel by the
 * outbox sweep, retried with backoff while Slack is down or rate-limiting.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    threadTs: text('thread_ts'),
    /** Set when the message is ephemeral to one user. */
    user: text('user'),
    text: text('text').notNull(),
    blocks: jsonb('blocks'),
    /** What the message is about, e.g. `incident:12`, for logs and tests. */
    ref: text('ref').notNull(),
    createdAt: ts('created_at').notNull(),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    deliveredTs: text('delivered_ts'),
    /** A sender holds the row until then while it talks to Slack (no transaction stays open). */
    leaseUntil: ts('lease_until'),
    /** Set when Slack refused it for good (`not_in_channel`, `invalid_auth`…): never retried; `lastError` says why. */
    failedAt: ts('failed_at'),
  },
  (t) => [index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null`)],
);

/**
 * Slack calls refused for good (src/slack/errors.ts): an outbox row, a checklist run's post, an
 * incident's announcement. One row per thing (`owner`, `refId`): the delivery sweeps skip what is
 * here instead of retrying it forever, `/ops status` lists it and `/healthz` reports `degraded`.
 */
export const slackFailures = pgTable(
  'slack_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `outbox`, `run`, `incident` (its announcement), `incident-channel` (its dedicated channel). */
    owner: text('owner').notNull(),
    refId: text('ref_id').notNull(),
    channel: text('channel').notNull(),
    /** Slack's error string, e.g. `not_in_channel`. */
    error: text('error').notNull(),
    /** What to do, in words (src/slack/errors.ts). */
    reason: text('reason').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [uniqueIndex('slack_failures_owner_uq').on(t.owner, t.refId), index('slack_failures_at_idx').on(t.at)],
);

/** Small named facts the bot keeps about itself, e.g. when its scheduler first ran. */
export const appState = pgTable('app_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * Weekly summaries for #leadership. `claimKey` is unique: `scheduled:<week>` for the Friday job
 * (so restarts and replicas post once per week) or `adhoc:<trigger id>` for `/ops summary`
 * (so a Slack retry posts once). The facts the summary used and the prose are kept as written.
 */
export const summaries = pgTable(
  'summaries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    claimKey: text('claim_key').notNull(),
    /** ISO week in the business time zone, e.g. `2026-W09`. */
    weekKey: text('week_key').notNull(),
    status: text('status', { enum: ['claimed', 'queued', 'posted'] })
      .notNull()
      .default('claimed'),
    facts: jsonb('facts'),
    prose: jsonb('prose'),
    source: text('source', { enum: ['llm', 'fallback'] }),
    /** Why the fallback was used (no_api_key, timeout, http_error, refusal, invalid_output, ungrounded…). */
    reason: text('reason'),
    model: text('model'),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    channel: text('channel'),
    messageTs: text('message_ts'),
    requestedBy: text('requested_by'),
    createdAt: ts('created_at').notNull(),
    postedAt: ts('posted_at'),
  },
  (t) => [uniqueIndex('summaries_claim_uq').on(t.claimKey), index('summaries_week_idx').on(t.weekKey)],
);

export const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;

/**
 * One incident. `dedupeKey` (the slash command's trigger_id, the modal's view id, or the
 * checklist run+item) makes a Slack retry or a double submit a no-op. `policy` freezes the
 * escalation policy as declared, so a config change never reshuffles an incident in flight.
 * Steps and deadlines live in `timers` (kind `incident-*`, ref = id); pages go through `outbox`.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    severity: text('severity', { enum: ['p0', 'p1', 'p2', 'p3'] }).notNull(),
    summary: text('summary').notNull(),
    system: text('system').notNull().default('other'),
    declaredBy: text('declared_by').notNull(),
    /** Where it came from: `slash`, `modal`, `checklist`, `probe`. */
    source: text('source').notNull(),
    /** e.g. `run:12|item:payments` for a checklist problem. */
    sourceRef: text('source_ref'),
    state: text('state', { enum: INCIDENT_STATES }).notNull().default('open'),
    /** Index into policy.chain of the highest level paged so far. */
    level: integer('level').notNull(),
    /** Bumped on every change; Escalate-now buttons carry the level they were rendered at. */
    version: integer('version').notNull().default(0),
    policy: jsonb('policy').notNull(),
    declaredAt: ts('declared_at').notNull(),
    responseDueAt: ts('response_due_at').notNull(),
    resolutionDueAt: ts('resolution_due_at'),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: ts('resolved_at'),
    resolvedBy: text('resolved_by'),
    resolutionNote: text('resolution_note'),
    /** Reporting: milliseconds to acknowledge / resolve and whether each SLA was met. */
    timeToAckMs: integer('time_to_ack_ms'),
    timeToResolveMs: integer('time_to_resolve_ms'),
    responseSlaMet: boolean('response_sla_met'),
    resolutionSlaMet: boolean('resolution_sla_met'),
    channel: text('channel').notNull(),
    messageTs: text('message_ts'),
    incidentChannel: text('incident_channel'),
    /** The pinned control message in the incident channel (state, SLAs, buttons), updated in place. */
    controlTs: text('control_ts'),
    /** The message the incident was declared from (the message shortcut): its permalink, asked of Slack. */
    sourceLink: text('source_link'),
    /** The incident lead (`/incident lead`, the I'll lead button). */
    lead: text('lead'),
    /** The latest status update (`/incident update`), shown on the announcement; every one is on the timeline. */
    lastUpdate: text('last_update'),
    lastUpdateAt: ts('last_update_at'),
    lastUpdateBy: text('last_update_by'),
    /** Held (src/lease.ts) while the announcement is posted or the incident channel made. */
    leaseUntil: ts('lease_until'),
  },
  (t) => [
    uniqueIndex('incidents_dedupe_uq').on(t.dedupeKey),
    index('incidents_open_idx').on(t.declaredAt).where(sql`${t.state} <> 'resolved'`),
    index('incidents_unposted_idx').on(t.declaredAt).where(sql`${t.messageTs} is null`),
  ],
);

/** Follow-ups of an incident (`/incident followup`): an owner, a due day, reminded on it. */
export const incidentFollowups = pgTable(
  'incident_followups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    owner: text('owner').notNull(),
    /** The business day it is due (YYYY-MM-DD in the business time zone), or none. */
    dueOn: text('due_on'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    doneAt: ts('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [index('incident_followups_owner_idx').on(t.owner).where(sql`${t.doneAt} is null`)],
);

/**
 * The post-incident review draft of a resolved P0/P1 (src/review): one per incident (the key),
 * so the resolve path and its fallback timer store and post it once. `facts` is what the draft
 * was written from; `narrative` is the LLM's text (data, escaped when rendered) or null for the
 * plain draft, `reason` why there is none.
 */
export const incidentReviews = pgTable('incident_reviews', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  source: text('source', { enum: ['llm', 'plain'] }).notNull(),
  reason: text('reason'),
  model: text('model'),
  facts: jsonb('facts').notNull(),
  narrative: text('narrative'),
  channel: text('channel').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** The incident's timeline: declared, paged, acknowledged, escalated, resolved, notes. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    userId: text('user_id'),
    level: integer('level'),
    text: text('text').notNull(),
    at: ts('at').notNull(),
    /** Whether the entry was queued for the announcement's thread (it needs the thread's ts); batched by src/incidents/timeline.ts. */
    threaded: boolean('threaded').notNull().default(false),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.id), index('incident_events_unthreaded_idx').on(t.at).where(sql`not ${t.threaded}`)],
);

/**
 * Every keyed Slack send that was started (`src/slack/send-once.ts`). A key already here means an
 * earlier attempt may have reached Slack before its result was saved (a crash, a timeout), so the
 * sender looks for the message in Slack before posting it again.
 */
export const slackSends = pgTable('slack_sends', {
  key: text('key').primaryKey(),
  firstAt: ts('first_at').notNull(),
});

/**
 * Durable intake (`src/slack/intake.ts`): every Slack request the bot acts on, written before its
 * ack leaves. `key` is the request's idempotency key (a Slack retry finds its row); the work runs
 * from the row and sets `doneAt`. A row left without `doneAt` by a crash is replayed once its
 * lease has run out, by whichever replica claims it first.
 */
export const inboundRequests = pgTable(
  'inbound_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    /** `command`, `block_actions`, `view_submission`, `event_callback`, `shortcut`, … */
    kind: text('kind').notNull(),
    /** The parsed body as JSON text (text, not jsonb: jsonb refuses a \u0000 that user text may carry). */
    payload: text('payload').notNull(),
    receivedAt: ts('received_at').notNull(),
    /** Whoever processes the row holds it until then; renewed while the work runs. */
    leaseUntil: ts('lease_until'),
    attempts: integer('attempts').notNull().default(1),
    lastError: text('last_error'),
    doneAt: ts('done_at'),
  },
  (t) => [uniqueIndex('inbound_requests_key_idx').on(t.key), index('inbound_requests_pending_idx').on(t.leaseUntil).where(sql`${t.doneAt} is null`)],
);

/**
 * Improvement opportunities of the guide's monthly improvement review (CONTINUOUS IMPROVEMENT),
 * RICE-scored: `(reach × impact × confidence) / effort`. `dedupeKey` (the modal's view id) makes a
 * double submit one row. Committed ones (the review's top three) carry an owner, a deadline and
 * success criteria; a timer (`improvement-deadline`) reminds the owner; done ones their result.
 */
export const improvements = pgTable(
  'improvements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    title: text('title').notNull(),
    reach: numeric('reach', { mode: 'number' }).notNull(),
    impact: numeric('impact', { mode: 'number' }).notNull(),
    /** Percent, 0–100. */
    confidence: numeric('confidence', { mode: 'number' }).notNull(),
    /** Person-weeks, > 0. */
    effort: numeric('effort', { mode: 'number' }).notNull(),
    score: numeric('score', { mode: 'number' }).notNull(),
    state: text('state', { enum: ['proposed', 'committed', 'done'] })
      .notNull()
      .default('proposed'),
    owner: text('owner'),
    deadline: ts('deadline'),
    successCriteria: text('success_criteria'),
    result: text('result'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    committedAt: ts('committed_at'),
    closedAt: ts('closed_at'),
  },
  (t) => [uniqueIndex('improvements_dedupe_uq').on(t.dedupeKey), index('improvements_state_idx').on(t.state)],
);

/**
 * Who covers an on-call role for a while (`/ops oncall cover <role> @user <until>`): while
 * active (from ≤ now < until, not cleared) escalation pages this person for the role instead of
 * its rotation's holder or its members. Setting a new one ends the active one; `clear` ends it
 * early. Rows are kept as the record of who covered when, and who said so.
 */
export const oncallOverrides = pgTable(
  'oncall_overrides',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Key of `roles` in the ops config. */
    role: text('role').notNull(),
    userId: text('user_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    setBy: text('set_by').notNull(),
    createdAt: ts('created_at').notNull(),
    clearedAt: ts('cleared_at'),
    clearedBy: text('cleared_by'),
  },
  (t) => [index('oncall_overrides_role_idx').on(t.role, t.endsAt).where(sql`${t.clearedAt} is null`)],
);

/**
 * A DR test as a record (the guide's monthly and quarterly disaster-recovery tests): one per
 * checklist run, written by its operator through "Record DR test" in the same transaction that
 * signs the restore item, and vouched for by a verifier (another person) in the transaction that
 * signs the verification item. `rtoMinutes`/`rpoMinutes` are the targets when it was recorded.
 */
export const drTests = pgTable(
  'dr_tests',
  {
    runId: integer('run_id')
      .primaryKey()
      .references(() => checklistRuns.id, { onDelete: 'cascade' }),
    checklistId: text('checklist_id').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at').notNull(),
    backupUsed: text('backup_used').notNull(),
    dataLossMinutes: numeric('data_loss_minutes', { mode: 'number' }).notNull(),
    evidence: text('evidence').notNull(),
    operator: text('operator').notNull(),
    recordedAt: ts('recorded_at').notNull(),
    verifier: text('verifier'),
    verifiedAt: ts('verified_at'),
    rtoMinutes: integer('rto_minutes'),
    rpoMinutes: integer('rpo_minutes'),
  },
  (t) => [index('dr_tests_ended_idx').on(t.endedAt)],
);
