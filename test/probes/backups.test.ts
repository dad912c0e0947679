import { afterEach, describe, expect, it } from 'vitest';
import { createBackupsProbe, type BackupFinding } from '../../src/probes/backups';
import { startS3Standin, type S3Standin, type StandinObject } from '../../sandbox/standins/s3';
import { awsEnv, runDirect, runTimed, runWithoutOuterTimeout, settingsWith } from './helpers';

let s3: S3Standin | undefined;
afterEach(async () => {
  await s3?.close();
  s3 = undefined;
});

const BUCKET = 'drainpro-backups';
const env = (url: string) => awsEnv(url, { BACKUP_BUCKET: BUCKET });
const at = (iso: string) => new Date(iso);
const MB = 1_000_000;

/** Nightly objects for one prefix: one per day for `days` days back from 26 Nov, each written 5 min after due. */
function nightly(prefix: string, dueUtcHour: number, days: number, size = 50 * MB, sse: string | null = 'AES256'): StandinObject[] {
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10, 26 - i, dueUtcHour, 5));
    return { key: `${prefix}${d.toISOString().slice(0, 10)}.tar.gz`, size, lastModified: d, ...(sse ? { sse } : {}) };
  });
}

// Business timezone America/New_York (EST in November): 02:00/03:00/04:00 local = 07/08/09 UTC.
function healthyBuckets(): Record<string, StandinObject[]> {
  return {
    [BUCKET]: [
      { key: 'database/', size: 0, lastModified: at('2026-01-01T00:00:00Z') }, // folder marker, ignored
      ...nightly('database/', 7, 3),
      ...nightly('files/', 8, 3, 200 * MB, 'aws:kms'),
      ...nightly('config/', 9, 3, 20_000),
    ],
  };
}

const target = (out: { evidence: Record<string, unknown> }, label: string) => (out.evidence.targets as BackupFinding[]).find((t) => t.label === label);

describe('backups probe (S3 ListObjectsV2 + HeadObject)', () => {
  it('is ok when every prefix has an encrypted, non-empty backup from its latest run', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out).toMatchObject({ status: 'ok', summary: '3 backups on schedule, non-empty and encrypted' });
    expect(target(out, 'database')).toMatchObject({ newestKey: 'database/2026-11-26.tar.gz', encryption: 'AES256', sizeBytes: 50 * MB });
    const lists = s3.requests.filter((r) => r.method === 'GET');
    expect(lists.map((r) => r.path)).toEqual([`/${BUCKET}/`, `/${BUCKET}/`, `/${BUCKET}/`]); // path-style
    expect(lists.map((r) => r.query.get('prefix')).sort()).toEqual(['config/', 'database/', 'files/']);
    const heads = s3.requests
      .filter((r) => r.method === 'HEAD')
      .map((r) => r.path)
      .sort();
    expect(heads).toEqual([`/${BUCKET}/config/2026-11-26.tar.gz`, `/${BUCKET}/database/2026-11-26.tar.gz`, `/${BUCKET}/files/2026-11-26.tar.gz`]);
  });

  it('follows continuation tokens across pages to find the newest object', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets(), pageSize: 2 });
    for (const o of nightly('database/', 7, 7).slice(3)) s3.put(BUCKET, o); // 7 nightly + marker under database/
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out.status).toBe('ok');
    const dbLists = s3.requests.filter((r) => r.method === 'GET' && r.query.get('prefix') === 'database/');
    expect(dbLists.length).toBe(4);
    expect(dbLists[0]?.query.get('continuation-token')).toBeNull();
    expect(dbLists[1]?.query.get('continuation-token')).toBeTruthy();
    expect(target(out, 'database')?.newestKey).toBe('database/2026-11-26.tar.gz');
  });

  it('flags unencrypted and empty backups as fail, a sudden drop in size as a warning', async () => {
    s3 = await startS3Standin({
      buckets: {
        [BUCKET]: [
          ...nightly('database/', 7, 1, 50 * MB, null),
          ...nightly('files/', 8, 2, 200 * MB, 'AES256').map((o, i) => (i === 0 ? { ...o, size: 40 * MB } : o)),
          ...nightly('config/', 9, 1, 0, null),
        ],
      },
    });
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out.status).toBe('fail');
    expect(out.summary).toBe('database: unencrypted; files: far smaller (20% of previous); configuration: empty, unencrypted');
    expect(target(out, 'files')?.status).toBe('warn');
    expect(out.evidence.files).toBe(
      'files/2026-11-26.tar.gz; Thu 03:05 EST (due 03:00 +5 min), 5 h 55 min old; 40 MB (−80% vs 200 MB the night before); AES-256',
    );
    expect(out.evidence.database).toContain('NOT encrypted');
  });

  it('evidence: newest object, its time in the business zone against the due time, size against the night before, encryption', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out.evidence.database).toBe(
      'database/2026-11-26.tar.gz; Thu 02:05 EST (due 02:00 +5 min), 6 h 55 min old; 50 MB (+0% vs 50 MB the night before); AES-256',
    );
    expect(out.evidence.files).toContain('; KMS (aws:kms)');
    expect(out.evidence.configuration).toContain('config/2026-11-26.tar.gz; Thu 04:05 EST');
    expect(out.evidence.configuration).toContain('; 20 kB (+0% vs 20 kB the night before)');
    // The generic formatter (checklist items, /ops probe) shows these lines, not "[object Object]".
    const { formatEvidence } = await import('../../src/runs/view.js');
    const shown = formatEvidence(out.evidence, 5);
    expect(shown).toContain('database: database/2026-11-26.tar.gz; Thu 02:05');
    expect(shown).toContain('configuration: config/');
    expect(shown).not.toContain('object');
    expect(shown.length).toBeLessThan(600); // the checklist item shows up to 600 characters of evidence
  });

  it('fails when a prefix has no backups at all', async () => {
    const buckets = healthyBuckets();
    buckets[BUCKET] = (buckets[BUCKET] ?? []).filter((o) => !o.key.startsWith('config/'));
    s3 = await startS3Standin({ buckets });
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out).toMatchObject({ status: 'fail', summary: 'configuration: missing' });
  });

  it('warns when the latest run is missing past the grace, fails when older than the run before', async () => {
    const buckets = healthyBuckets();
    buckets[BUCKET] = (buckets[BUCKET] ?? []).filter((o) => o.key !== 'database/2026-11-26.tar.gz');
    buckets[BUCKET] = buckets[BUCKET].filter((o) => !o.key.startsWith('files/2026-11-2') || o.key === 'files/2026-11-24.tar.gz');
    s3 = await startS3Standin({ buckets });
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out.status).toBe('fail');
    expect(target(out, 'database')).toMatchObject({ status: 'warn', problems: ['late (no run since 02:00)'] });
    expect(target(out, 'files')).toMatchObject({ status: 'fail', problems: ['stale (newest 54 h old)'] });
  });

  it('accepts yesterday’s backup while today’s run is still within its grace hour', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    const early = at('2026-11-26T07:03:00Z'); // 02:03 New York: database due 3 min ago, not written yet
    s3.state.buckets = { [BUCKET]: (s3.state.buckets?.[BUCKET] ?? []).filter((o) => o.lastModified < early) };
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()), early);
    expect(out.status).toBe('ok');
    expect(target(out, 'database')).toMatchObject({ newestKey: 'database/2026-11-25.tar.gz', expectedRun: '2026-11-26T07:00:00.000Z' });
    const late = await runDirect(createBackupsProbe(env(s3.url), settingsWith()), at('2026-11-26T08:01:00Z'));
    expect(target(late, 'database')?.status).toBe('warn');
  });

  it.each([
    [{ kind: 'status', status: 500 } as const, /^S3 \(.+\): HTTP 500 error(?: \(.+\))?: check /],
    [{ kind: 'status', status: 403 } as const, /^S3 \(.+\): credentials rejected \(HTTP 403\)(?: \(.+\))?: check /],
    [{ kind: 'malformed' } as const, /^S3 \(.+\): malformed response(?: \(.+\))?: check /],
  ])('is unknown on %o', async (fault, summary) => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    s3.setFault(fault);
    const out = await runDirect(createBackupsProbe(env(s3.url), settingsWith()));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(summary);
  });

  it('reports credentials rejected for a wrong access key without leaking the secret', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets(), accessKeyId: 'AKIDGOOD' });
    const out = await runDirect(createBackupsProbe(awsEnv(s3.url, { BACKUP_BUCKET: BUCKET, AWS_SECRET_ACCESS_KEY: 's3cr3t-value' }), settingsWith()));
    expect(out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^S3 \(.+\): credentials rejected \(HTTP 403\)(?: \(.+\))?: check /) });
    expect(JSON.stringify(out)).not.toContain('s3cr3t-value');
  });

  it('times out against a hanging S3', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    s3.setFault({ kind: 'hang' });
    const { result, elapsedMs } = await runTimed(createBackupsProbe(env(s3.url), settingsWith({ timeoutMs: 300 })), 300);
    expect(result).toMatchObject({ status: 'unknown', summary: 'timed out after 300 ms' });
    expect(elapsedMs).toBeLessThan(1300);
    // Without the outer race the SDK's own request timeout must still end the probe.
    const own = await runWithoutOuterTimeout(createBackupsProbe(env(s3.url), settingsWith({ timeoutMs: 300 })));
    expect(own.out).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^S3 \(.+\): timed out after 300 ms(?: \(.+\))?: check /) });
    expect(own.elapsedMs).toBeLessThan(1300);
  });

  it('is skipped without BACKUP_BUCKET and makes no request', async () => {
    s3 = await startS3Standin({ buckets: healthyBuckets() });
    const out = await runDirect(createBackupsProbe(awsEnv(s3.url), settingsWith()));
    expect(out).toMatchObject({ status: 'skipped', summary: 'not configured: set BACKUP_BUCKET' });
    expect(s3.requests).toHaveLength(0);
  });
});
