import { Agent, createServer, type Server } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlarmsProbe, createBackupsProbe } from '../../src/probes/index';
import { s3Hooks } from '../../sandbox/standins/s3';
import { awsEnv, NOW, runTimed, settingsWith } from './helpers';

// The intermittent "S3: timed out after 5000 ms": a server closes an idle keep-alive connection
// (Node's default keepAliveTimeout is 5 s, S3's own is similar) at the moment the client reuses it
// for the next probe run. The request dies with ECONNRESET ("socket hang up"), which the SDK names a
// TimeoutError; with one attempt (probes do not retry) the run reported "timed out after 5000 ms"
// in milliseconds. Human-paced commands (a probe, a checklist, seconds apart) hit that window.
// This server makes the race certain: a second request on a connection is answered by closing it.
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

const BUCKET = 'drainpro-backups';
const objects = [
  { key: 'database/2026-11-26.sql.gz', size: 10, lastModified: new Date('2026-11-26T07:05:00Z'), sse: 'AES256' },
  { key: 'files/2026-11-26.tar.gz', size: 10, lastModified: new Date('2026-11-26T08:05:00Z'), sse: 'AES256' },
  { key: 'config/2026-11-26.tar.gz', size: 10, lastModified: new Date('2026-11-26T09:05:00Z'), sse: 'aws:kms' },
];

/** S3 (the project's stand-in logic) behind a server that drops every connection it has already answered on. */
async function closingS3(): Promise<{ url: string; reused: () => number }> {
  const hooks = s3Hooks({ buckets: { [BUCKET]: objects } });
  const answered = new WeakSet<Socket>();
  let reused = 0;
  server = createServer((req, res) => {
    if (answered.has(req.socket)) {
      reused += 1;
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', 'http://s3');
      const reply = await hooks.handle({
        method: req.method ?? 'GET',
        path: decodeURIComponent(u.pathname),
        query: u.searchParams,
        headers: req.headers,
        body: '',
      });
      answered.add(req.socket);
      const body = req.method === 'HEAD' ? undefined : reply.body;
      res.writeHead(reply.status, { ...(reply.body !== undefined ? { 'content-length': String(Buffer.byteLength(reply.body)) } : {}), ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, reused: () => reused };
}

describe('probes against a server that closes idle keep-alive connections', () => {
  it('the backups probe answers run after run (no connection is reused)', async () => {
    const s3 = await closingS3();
    const probe = createBackupsProbe(awsEnv(s3.url, { BACKUP_BUCKET: BUCKET }), settingsWith({ timeoutMs: 5000 }));
    for (let run = 0; run < 4; run++) {
      const { result, elapsedMs } = await runTimed(probe, 5000, NOW);
      expect(result, `run ${run + 1}: ${result.summary}`).toMatchObject({ status: 'ok' });
      expect(elapsedMs).toBeLessThan(2000);
    }
    expect(s3.reused()).toBe(0);
  });

  it('the CloudWatch probes share the client settings: no reused connection either', async () => {
    const cw = await closingS3(); // answers CloudWatch with S3's 501: enough to see the connection
    const probe = createAlarmsProbe(awsEnv(cw.url), settingsWith({ timeoutMs: 5000 }));
    for (let run = 0; run < 3; run++) await runTimed(probe, 5000, NOW);
    expect(cw.reused()).toBe(0);
  });

  it('a reused connection the server closed is reported as a reset, not as a time-out', async () => {
    const s3 = await closingS3();
    const env = awsEnv(s3.url, { BACKUP_BUCKET: BUCKET });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      requestHandler: { httpAgent: agent, requestTimeout: 5000, connectionTimeout: 3000, throwOnRequestTimeout: true },
    });
    const probe = createBackupsProbe(env, settingsWith({ timeoutMs: 5000 }), { client });
    const { result, elapsedMs } = await runTimed(probe, 5000, NOW);
    expect(s3.reused()).toBeGreaterThan(0);
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('connection reset by the server (ECONNRESET)');
    expect(result.summary).not.toContain('timed out');
    expect(elapsedMs).toBeLessThan(2000);
    agent.destroy();
  });
});
