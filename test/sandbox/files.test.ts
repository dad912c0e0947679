import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t?.close());

it('the sandbox shows the weekly summary chart: the message lists the file and the page can fetch the PNG', async () => {
  expect((await t.post('command', { user: 'UALICE', channel: 'COPS', text: '/ops summary' })).status).toBe(200);
  const deadline = Date.now() + 20_000;
  let file: { id: string; name: string; alt_text?: string } | undefined;
  while (!file && Date.now() < deadline) {
    const snap = await t.state('UALICE');
    file = (snap.messages as { files?: { id: string; name: string; alt_text?: string }[] }[])
      .flatMap((m) => m.files ?? [])
      .find((f) => f.name.endsWith('.png'));
    if (!file) await new Promise((r) => setTimeout(r, 100));
  }
  expect(file?.alt_text).toMatch(/^Last 8 weeks\./);
  const res = await fetch(`${t.url}/sandbox/api/file?id=${file!.id}&user=UALICE`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await res.arrayBuffer());
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect((await fetch(`${t.url}/sandbox/api/file?id=${file!.id}&user=UNOBODY`)).status).toBe(404);
  expect((await fetch(`${t.url}/sandbox/api/file?id=F999&user=UALICE`)).status).toBe(404);
});
