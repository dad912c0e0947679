import type { S3Client, _Object } from '@aws-sdk/client-s3';
import { raceAbort } from './abort';
import { AWS_REQUIRED, createS3Client, loadS3Sdk } from './aws';
import { missingVars, secretValues, type ProbeEnv } from './env';
import { probeTargets } from './hints';
import { errorOutcome, MalformedResponseError } from './errors-map';
import { outcome, skipped, worst } from './outcome';
import type { ProbeSettings } from './settings';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus } from './types';
import { lastScheduledRun } from './zoned-time';

const ENCRYPTED = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

type Target = ProbeSettings['backups']['targets'][number];

export interface BackupFinding {
  label: string;
  prefix: string;
  status: ProbeStatus;
  problems: string[];
  newestKey?: string;
  newestAt?: string;
  expectedRun: string;
  sizeBytes?: number;
  previousSizeBytes?: number;
  encryption?: string;
  /** One line of evidence a person can check against S3: newest object, age, size, encryption. */
  line: string;
}

/**
 * Evening checklist item 4: each backup prefix must hold an encrypted, non-empty object from
 * its most recent scheduled run. Lateness policy: within `graceMinutes` of the due time the
 * previous day's backup still counts; past the grace a missed run is `warn` (one run late,
 * the day before's copy still exists), and a backup older than the previous run is `fail`.
 * Missing, empty or unencrypted backups are `fail`; a sudden drop in size against the previous
 * night (below `farSmallerRatio`) is `warn`: often a real problem, sometimes a cleanup.
 */
export function createBackupsProbe(env: ProbeEnv, settings: ProbeSettings, deps: { client?: S3Client } = {}): Probe {
  const secrets = secretValues(env);
  let client = deps.client;
  return {
    name: 'backups',
    async run(ctx: ProbeContext): Promise<ProbeOutcome> {
      const missing = missingVars(env, [...AWS_REQUIRED, 'BACKUP_BUCKET']);
      if (missing.length > 0 || !env.BACKUP_BUCKET) return skipped(missing);
      const s3 = (client ??= await createS3Client(env, settings.timeoutMs));
      const bucket = env.BACKUP_BUCKET;
      try {
        const findings = await Promise.all(settings.backups.targets.map((t) => checkTarget(s3, bucket, t, settings, ctx)));
        return summarise(findings);
      } catch (err) {
        return errorOutcome('S3', err, secrets, settings.timeoutMs, probeTargets.s3(env));
      }
    },
  };
}

async function listAll(s3: S3Client, bucket: string, prefix: string, maxPages: number, signal: AbortSignal): Promise<_Object[]> {
  const { ListObjectsV2Command } = await loadS3Sdk();
  const objects: _Object[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const cmd = new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) });
    const res = await raceAbort(s3.send(cmd, { abortSignal: signal }), signal);
    // S3 always names the bucket and counts the keys: a 200 without them (an empty body, a
    // proxy's page) is no listing, and must not read as "no backups".
    if (res.KeyCount === undefined && res.Name === undefined) throw new MalformedResponseError('S3', 'not a bucket listing');
    if (res.Contents !== undefined && !Array.isArray(res.Contents)) throw new MalformedResponseError('S3', 'Contents is not a list');
    objects.push(...(res.Contents ?? []));
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
    if (!token) break;
  }
  // Folder markers ("database/") are not backups.
  return objects.filter((o) => o.Key && !o.Key.endsWith('/'));
}

async function checkTarget(s3: S3Client, bucket: string, t: Target, settings: ProbeSettings, ctx: ProbeContext): Promise<BackupFinding> {
  const { timezone, graceMinutes, farSmallerRatio, maxPages } = settings.backups;
  const expected = lastScheduledRun(ctx.now, t.dueAt, timezone);
  const previousRun = lastScheduledRun(new Date(expected.getTime() - 1), t.dueAt, timezone);
  const base = { label: t.label, prefix: t.prefix, expectedRun: expected.toISOString(), problems: [] as string[] };

  const objects = await listAll(s3, bucket, t.prefix, maxPages, ctx.signal);
  if (objects.length === 0) return { ...base, status: 'fail', problems: ['missing'], line: `no object under ${t.prefix} (due ${t.dueAt} ${timezone})` };
  if (objects.some((o) => !(o.LastModified instanceof Date) || Number.isNaN(o.LastModified.getTime()))) {
    throw new MalformedResponseError('S3', 'object without LastModified');
  }
  const sorted = [...objects].sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0));
  const newest = sorted[0] as _Object & { Key: string; LastModified: Date };
  const previous = sorted[1];

  const { HeadObjectCommand } = await loadS3Sdk();
  const head = await raceAbort(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: newest.Key }), { abortSignal: ctx.signal }), ctx.signal);
  const size = head.ContentLength ?? newest.Size ?? 0;
  const prevSize = previous?.Size;
  const encryption = head.ServerSideEncryption;

  const statuses: ProbeStatus[] = [];
  const problems: string[] = [];
  const flag = (s: ProbeStatus, p: string): void => {
    statuses.push(s);
    problems.push(p);
  };

  const at = newest.LastModified.getTime();
  const withinGrace = ctx.now.getTime() < expected.getTime() + graceMinutes * 60_000;
  if (at < expected.getTime()) {
    if (at < previousRun.getTime()) flag('fail', `stale (newest ${hoursAgo(ctx.now, newest.LastModified)} old)`);
    else if (!withinGrace) flag('warn', `late (no run since ${t.dueAt})`);
  }
  if (size <= 0) flag('fail', 'empty');
  if (!encryption || !ENCRYPTED.has(encryption)) flag('fail', 'unencrypted');
  if (size > 0 && prevSize !== undefined && prevSize > 0 && size < prevSize * farSmallerRatio) {
    flag('warn', `far smaller (${Math.round((size / prevSize) * 100)}% of previous)`);
  }
  const line = evidenceLine({ key: newest.Key, at: newest.LastModified, expected, dueAt: t.dueAt, timezone, now: ctx.now, size, prevSize, encryption });
  return {
    ...base,
    status: worst(statuses),
    problems,
    newestKey: newest.Key,
    newestAt: newest.LastModified.toISOString(),
    sizeBytes: size,
    ...(prevSize !== undefined ? { previousSizeBytes: prevSize } : {}),
    ...(encryption ? { encryption } : {}),
    line,
  };
}

/** Bytes in decimal units, as the S3 console shows them. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${u === 0 ? v : Number(v.toPrecision(3))} ${units[u]}`;
}

function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

function evidenceLine(e: {
  key: string;
  at: Date;
  expected: Date;
  dueAt: string;
  timezone: string;
  now: Date;
  size: number;
  prevSize: number | undefined;
  encryption: string | undefined;
}): string {
  // "Thu 02:05 EST": the business time zone's own abbreviation keeps the line short.
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: e.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  })
    .format(e.at)
    .replace(',', '');
  const offset = e.at.getTime() - e.expected.getTime();
  const vsDue = offset >= 0 ? `due ${e.dueAt} +${duration(offset)}` : `before the last ${e.dueAt} run`;
  const change =
    e.prevSize !== undefined && e.prevSize > 0
      ? ` (${e.size >= e.prevSize ? '+' : '−'}${Math.abs(Math.round(((e.size - e.prevSize) / e.prevSize) * 100))}% vs ${formatBytes(e.prevSize)} the night before)`
      : ' (no earlier backup)';
  const sse = e.encryption
    ? e.encryption === 'AES256'
      ? 'AES-256'
      : e.encryption.startsWith('aws:kms')
        ? `KMS (${e.encryption})`
        : e.encryption
    : 'NOT encrypted';
  return `${e.key}; ${local} (${vsDue}), ${duration(e.now.getTime() - e.at.getTime())} old; ${formatBytes(e.size)}${change}; ${sse}`;
}

function hoursAgo(now: Date, then: Date): string {
  return `${Math.round((now.getTime() - then.getTime()) / 3_600_000)} h`;
}

export function summarise(findings: readonly BackupFinding[]): ProbeOutcome {
  const status = worst(findings.map((f) => f.status));
  // One string per backup first: the generic evidence formatter shows strings, not objects.
  const evidence = { ...Object.fromEntries(findings.map((f) => [f.label, f.line])), targets: findings };
  if (status === 'ok') {
    return outcome('ok', `${findings.length} backups on schedule, non-empty and encrypted`, evidence);
  }
  const bad = findings.filter((f) => f.status !== 'ok').map((f) => `${f.label}: ${f.problems.join(', ')}`);
  return outcome(status, bad.join('; '), evidence);
}
