import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3Standin, type S3Standin } from '../../sandbox/standins/s3';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

let s3: S3Standin;
let t: TestBot;
const BUCKET = 'drainpro-backups';
const MB = 1_000_000;
beforeAll(async () => {
  // Three nights of each backup; tonight's database dump is a third of last night's.
  const objects = [7, 8, 9].flatMap((hour, i) =>
    [26, 25, 24].map((day) => ({
      key: `${['database', 'files', 'config'][i]}/2026-11-${day}.gz`,
      size: hour === 7 && day === 26 ? 10 * MB : 30 * MB,
      lastModified: new Date(Date.UTC(2026, 10, day, hour, 5)),
      sse: 'AES256',
    })),
  );
  s3 = await startS3Standin({ buckets: { [BUCKET]: objects } });
  t = await startTestBot({
    clock: new FakeClock(new Date('2026-11-26T23:00:00Z')),
    env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: s3.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', BACKUP_BUCKET: BUCKET },
  });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

it("the evening checklist shows each backup's evidence, and a sudden drop in size as a warning", async () => {
  await t.slash('/ops', 'evening');
  const msg = await t.slack.waitFor(() => t.slack.channelMessages('ops').find((m) => JSON.stringify(m.blocks ?? []).includes('database/2026-11-26.gz')));
  const text = JSON.stringify(msg.blocks);
  expect(text).toContain('database: far smaller (33% of previous)');
  expect(text).toContain('database/2026-11-26.gz; Thu 02:05 EST (due 02:00 +5 min), 15 h 55 min old; 10 MB (−67% vs 30 MB the night before); AES-256');
  expect(text).toContain('files/2026-11-26.gz; Thu 03:05 EST (due 03:00 +5 min)');
  expect(text).toContain('config/2026-11-26.gz; Thu 04:05 EST (due 04:00 +5 min), 13 h 55 min old; 30 MB (+0% vs 30 MB the night before); AES-256');
});
