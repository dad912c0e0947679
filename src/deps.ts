import type { WebClient } from '@slack/web-api';
import type { Env } from './config/env';
import type { OpsConfig } from './config/ops-config';
import type { Database, Db } from './db';
import type { Logger } from './logger';
import type { Probe, ProbeName } from './probes';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Everything listeners and jobs need, built once in main.ts (or a test harness) and passed down. */
export interface Deps {
  env: Env;
  config: OpsConfig;
  database: Database;
  db: Db;
  slack: WebClient;
  clock: Clock;
  logger: Logger;
  /** One probe per system the checklists read; tests and the sandbox swap in their own. */
  probes: Record<ProbeName, Probe>;
}

export function roleName(config: OpsConfig, roleId: string): string {
  return config.roles[roleId]?.name ?? roleId;
}

export function channelFor(config: OpsConfig, key: string): string {
  return config.channels[key] ?? key;
}
