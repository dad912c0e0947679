import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackupsProbe } from '../../src/probes/backups';
import { runProbes } from '../../src/probes/index';
import { startS3Standin, type S3Standin } from '../../sandbox/standins/s3';
import type { Fault } from '../../sandbox/standins/server';
import { awsEnv, NOW, settingsWith } from './helpers';

// Guards the intermittent "S3: timed out after 5000 ms" of issue 17: a socket a run leaves busy
// (an unread ListObjectsV2/HeadObject body, an abort that does not destroy the request) would be
// lost to the pool, and with a pool of 2 the third such run would wait for a socket and time out.
let s3: S3Standin | undefined;
afterEach(async () => {
  await s3?.close();
  s3 = undefined;
});

const BUCKET = 'drainpro-backups';
const objects = [
  { key: 'database/2026-11-26.sql.gz', size: 10, lastModified: new Date('2026-11-26T07:05:00Z'), sse: 'AES256' },
  { key: 'files/2026-11-26.tar.gz', size: 10, lastModified: new Date('2026-11-26T08:05:00Z'), sse: 'AES256' },
  { key: 'config/2026-11-26.tar.gz', size: 10, lastModified: new Date('2026-11-26T09:05:00Z'), sse: 'aws:kms' },
];

describe('backups probe: many runs in sequence on a 2-socket pool', () => {
  it('every socket goes back to the pool after ok runs, error answers, malformed bodies and time-outs', async () => {
    s3 = await startS3Standin({ buckets: { [BUCKET]: objects } });
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const env = awsEnv(s3.url, { BACKUP_BUCKET: BUCKET });
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      requestHandler: { httpAgent: agent, requestTimeout: 1000, connectionTimeout: 1000, throwOnRequestTimeout: true },
    });
    const probe = createBackupsProbe(env, settingsWith({ timeoutMs: 1000 }), { client });
    const busy = () =>
      Object.values(agent.sockets).reduce((n, a) => n + (a?.length ?? 0), 0) + Object.values(agent.requests).reduce((n, a) => n + (a?.length ?? 0), 0);
    const faults: (Fault | null)[] = [
      null,
      { kind: 'status', status: 500 },
      { kind: 'status', status: 403 },
      { kind: 'malformed' },
      { kind: 'raw', status: 200, body: '' },
      { kind: 'hang' },
      null,
    ];
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const fault of faults) {
        s3.setFault(fault);
        const [r] = await runProbes([probe], { timeoutMs: 1000, now: NOW });
        seen.push(`${fault?.kind ?? 'ok'}:${r!.status}`);
        if (!fault) expect(r, `round ${round}`).toMatchObject({ status: 'ok' });
        else expect(r!.status).toBe('unknown');
        if (fault?.kind === 'hang') {
          s3.setFault(null);
          await new Promise((res) => setTimeout(res, 50)); // the aborted requests' sockets close
        }
        // A failed listing ends the run while its siblings are still answering: give them 300 ms.
        for (let i = 0; i < 30 && busy() > 0; i++) await new Promise((res) => setTimeout(res, 10));
        expect(busy(), `${seen.join(' ')}: sockets still busy`).toBe(0);
      }
    }
    agent.destroy();
  }, 60_000);
});
