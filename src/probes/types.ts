/** Shared probe contract: other modules (checklists, jobs, blocks) rely on these names. */
export type ProbeStatus = 'ok' | 'warn' | 'fail' | 'unknown' | 'skipped';

export type ProbeName = 'health' | 'alarms' | 'errors' | 'backups' | 'payments' | 'forwarding' | 'agents';

export const PROBE_NAMES: readonly ProbeName[] = ['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents'];

export interface ProbeOutcome {
  status: ProbeStatus;
  /** One line, < 200 chars, plain text (mrkdwn-safe). */
  summary: string;
  evidence: Record<string, unknown>;
}

export interface ProbeResult extends ProbeOutcome {
  probe: string;
  durationMs: number;
  /** ISO timestamp of when the probe started. */
  checkedAt: string;
}

export interface ProbeContext {
  signal: AbortSignal;
  now: Date;
}

export interface Probe {
  readonly name: ProbeName;
  run(ctx: ProbeContext): Promise<ProbeOutcome>;
}
