import type { WebClient } from '@slack/web-api';
import type { Env } from './config/env';
import type { OpsConfig } from './config/ops-config';
import type { Database, Db, Tx } from './db';
import type { IncidentRow } from './incidents/store';
import type { Logger } from './logger';
import type { Probe, ProbeName, ProbeResult } from './probes';
import type { CoalescingQueue } from './slack/keyed-queue';
import type { Permalinks } from './slack/permalinks';
import type { SmsSetup } from './sms/twilio';
import type { LlmCallOptions } from './llm/openai';
import type { ReviewFacts } from './review/facts';
import type { NarrativeResult } from './review/llm';
import type { LlmResult } from './summary/llm';
import type { WeekFacts } from './summary/types';
import type { Mrkdwn } from '../blocks/format';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Everything listeners and jobs need, built once per bot in src/bot.ts (or a test harness) and
 * passed down. The stateful services (sms … home) are made by src/services.ts `withServices`; a
 * test passes its own through `startTestBot({ services })`. Module-level state is kept to caches of
 * pure functions (test/architecture.test.ts lists them).
 */
export interface Deps {
  env: Env;
  config: OpsConfig;
  database: Database;
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  /** What other features do when an incident is declared (DR procedure, change links); set by src/bot.ts. */
  declareHooks?: readonly DeclareHook[];
  /**
   * What other features do when an incident's severity changes (`/incident severity`): the same
   * shape as `declareHooks`, called with the incident as updated (so a raise to P0 attaches the DR
   * procedure exactly as declaring one does); set by src/bot.ts. Each must be idempotent.
   */
  severityHooks?: readonly DeclareHook[];
  /** What other features do with fresh probe results (the link to a change being monitored); set by src/bot.ts. */
  probeHooks?: readonly ProbeHook[];
  /** One probe per system the checklists read; tests and the sandbox swap in their own. */
  probes: Record<ProbeName, Probe>;
  /** Where SMS pages go: Twilio, or no sender with the reason; built once from the env. */
  sms: SmsSetup;
  /** What writes the weekly summary's prose and a review's narrative (OpenAI from the env; tests may pass a stand-in). */
  llm: Llm;
  /** Message permalinks, each asked of Slack once. */
  permalinks: Permalinks;
  /** In-place re-renders of messages; concurrent ones for one message coalesce. */
  refreshes: RefreshQueues;
  /** The Home tab: flows say when what it shows changed; the `app_home_opened` listener publishes it. */
  home: HomeTab;
}

/** The LLM's two writers; each checks what came back and says why it failed, never throws. */
export interface Llm {
  writeProse(facts: WeekFacts, opts: LlmCallOptions): Promise<LlmResult>;
  writeNarrative(facts: ReviewFacts, opts: LlmCallOptions): Promise<NarrativeResult>;
}

export interface RefreshQueues {
  /** Incident announcements, keyed `incident:<id>`. */
  incidents: CoalescingQueue;
  /** Checklist messages, keyed `run:<id>:<item or *>`. */
  checklists: CoalescingQueue;
  /** Incident timelines: new entries posted in the announcement's thread once a burst is over. */
  timelines: { changed(incidentId: number): void; idle(): Promise<void> };
  /** The SLA countdown text each open incident's messages show now (re-rendered when it would change). */
  countdowns: Map<number, string>;
}

/** The Home tab's publisher as flows and listeners see it (src/home/publisher.ts). */
export interface HomeTab {
  /** A person opened Home: publish theirs now. */
  opened(userId: string): Promise<void>;
  /** Something Home shows changed: re-publish for recent viewers, once per burst. */
  changed(): void;
  /** Someone opened Home recently enough to be re-published to (work only they would see can be skipped otherwise). */
  watched(): boolean;
  /** Resolves when no publish is pending or running. */
  idle(): Promise<void>;
}

export function roleName(config: OpsConfig, roleId: string): string {
  return config.roles[roleId]?.name ?? roleId;
}

export function channelFor(config: OpsConfig, key: string): string {
  return config.channels[key] ?? key;
}

/**
 * What other features do when an incident is declared (the disaster-recovery procedure, the link
 * to a change being monitored). The composition root (src/bot.ts) passes them in `Deps`, so the
 * incident engine does not import the features built on it.
 */
export interface DeclareHook {
  name: string;
  /** In the declaring (or severity-changing) transaction: a timer that makes the work happen even if the request dies. */
  inTransaction?(tx: Tx, deps: Deps, incident: IncidentRow, now: Date): Promise<void>;
  /** After the announcement and the pages. A failure is logged; `inTransaction`'s timer catches up. */
  afterwards?(deps: Deps, incidentId: number): Promise<unknown>;
}

/** What another feature does with probe results once they are stored (src/runs/probes.ts `afterProbeResults`). */
export interface ProbeHook {
  name: string;
  /** Returns lines to show where the results are shown; a failure is logged and the results stand. */
  afterResults(deps: Deps, results: readonly ProbeResult[]): Promise<Mrkdwn[]>;
}
