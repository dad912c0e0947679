import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';

/**
 * End to end in headless Chromium: the page, the sandbox API, the real bot. CI installs Debian's
 * chromium and playwright-core; without them this suite is skipped and says why.
 * PLAYWRIGHT_CORE may name an installed copy (a path) when the package is not a dependency.
 */
const CHROMIUM = '/usr/bin/chromium';

function loadPlaywright(): any {
  const require = createRequire(import.meta.url);
  for (const id of [process.env.PLAYWRIGHT_CORE, 'playwright-core']) {
    if (!id) continue;
    try {
      return require(id);
    } catch {
      // try the next
    }
  }
  return null;
}

const pw = loadPlaywright();
const skipReason = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is missing (apt-get install chromium)`
  : !pw
    ? 'playwright-core is not installed (npm install playwright-core, or set PLAYWRIGHT_CORE to its path)'
    : '';
if (skipReason) console.warn(`test/sandbox/browser.test.ts skipped: ${skipReason}`);

/** CI sets REQUIRE_BROWSER=1 so a broken install fails the run instead of skipping quietly. */
describe.runIf(Boolean(process.env.REQUIRE_BROWSER))('browser prerequisites', () => {
  it('Chromium and playwright-core are installed', () => {
    expect(skipReason).toBe('');
  });
});

/** UPDATE_SCREENSHOTS=1 refreshes the README's picture; otherwise it goes to a temporary file. */
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS ? join(process.cwd(), 'docs', 'sandbox-checklist.png') : join(tmpdir(), 'sandbox-checklist.png');

describe.skipIf(Boolean(skipReason))(`the sandbox in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let t: TestSandbox;
  let context: any;
  let page: any;
  let profile: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    profile = mkdtempSync(join(tmpdir(), 'drainpro-chromium-'));
    context = await pw.chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      // Tall enough for the whole checklist in one screenshot.
      viewport: { width: 1360, height: 1760 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d: any) => d.accept());
    await page.goto(`${t.url}/`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await t?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const checklist = () => page.locator('.message', { has: page.locator('.bk-header', { hasText: 'Morning Checklist' }) }).first();

  it('/ops morning as alice shows the checklist; Done shows the signer; Problem asks for a note and shows it', async () => {
    await expect.poll(() => page.locator('#user').inputValue()).toBe('UALICE');
    await page.locator('#box').fill('/ops morning');
    await page.locator('#box').press('Enter');
    await checklist().waitFor({ timeout: 15_000 });
    await page.getByText('Only visible to you').first().waitFor();
    expect(await checklist().locator('.bk-text').first().innerText()).toContain('System Health Check');
    expect(await checklist().innerText()).toContain('0/7 signed');
    await checklist().locator('.bk-actions').nth(0).getByRole('button', { name: 'Done' }).click();
    await checklist()
      .getByText(/Done by @alice at/)
      .waitFor({ timeout: 10_000 });
    expect(await checklist().innerText()).toContain('1/7 signed');

    await checklist().locator('.bk-actions').nth(5).getByRole('button', { name: 'Problem' }).click();
    const dialog = page.getByRole('dialog', { name: 'Report a problem' });
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Please write a short note.' }).waitFor();
    await dialog.getByLabel('What is wrong?').fill('Stripe shows 3 failed charges since 6am');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await checklist()
      .getByText(/Problem by @alice/)
      .waitFor({ timeout: 10_000 });
    expect(await checklist().locator('blockquote').innerText()).toContain('Stripe shows 3 failed charges since 6am');
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.mouse.move(5, 5); // no hover highlight in the picture
    await page.screenshot({ path: SCREENSHOT });
  });

  it('threads: a reply opens in the side panel and is counted under the message', async () => {
    await checklist().hover();
    await checklist().getByRole('button', { name: 'Reply in thread' }).click();
    await page.locator('#thread-box').fill('On it, checking Stripe now');
    await page.locator('#thread-box').press('Enter');
    await page.locator('#thread-list').getByText('On it, checking Stripe now').waitFor({ timeout: 10_000 });
    await checklist().getByRole('button', { name: '1 reply' }).waitFor();
    await page.getByRole('button', { name: 'Close thread' }).click();
  });

  it('the checklists show probe evidence from the --demo stand-ins (one firing alarm, one failing backup)', async () => {
    expect(await checklist().innerText()).toContain('drainpro-low-forwarding-rate');
    await page.locator('#box').fill('/ops evening');
    await page.locator('#box').press('Enter');
    const evening = page.locator('.message', { has: page.locator('.bk-header', { hasText: 'Evening Checklist' }) }).first();
    await evening.waitFor({ timeout: 15_000 });
    expect(await evening.innerText()).toMatch(/backups fail: .*files/);
  });

  it('/incident p1 … shows the announcement in #incidents and the new incident channel in the sidebar', async () => {
    await page.locator('#box').fill('/incident p1 Forwarding below 95% since noon');
    await page.locator('#box').press('Enter');
    const incidentChannel = page.locator('#channels button', { hasText: /# inc-\d+-forwarding-below/ });
    await incidentChannel.waitFor({ timeout: 15_000 });
    await page.locator('#channels button[data-channel="incidents"]').click();
    const announcement = page.locator('.message', { hasText: 'Forwarding below 95% since noon' }).first();
    await announcement.waitFor({ timeout: 15_000 });
    const text = await announcement.innerText();
    expect(text).toMatch(/P1/);
    for (const button of ['Acknowledge', 'Resolve', 'Escalate now']) await announcement.getByRole('button', { name: button }).waitFor();
    await incidentChannel.click();
    await page
      .locator('#messages')
      .getByText(/Forwarding below 95% since noon/)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.locator('#channels button[data-channel="ops"]').click();
  });

  it('shows a message that breaks Block Kit’s limits as a red error, not a blank', async () => {
    const ws = t.sandbox.workspace;
    await fetch(`${ws.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
      body: JSON.stringify({ channel: 'ops', text: 'too long a header', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }),
    });
    const error = page.locator('.bk-error').last();
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('blocks.0.text.text');
    ws.problems.length = 0;
  });

  it('another person sees the shared channel but not alice’s ephemeral; Reset empties the workspace', async () => {
    await page.locator('#user').selectOption('UBOB');
    await checklist().waitFor();
    await expect.poll(() => page.getByText('Only visible to you').count()).toBe(0);
    await page.getByRole('button', { name: 'Reset sandbox' }).click();
    await page.getByText('This is the very beginning of #ops').waitFor({ timeout: 10_000 });
    expect(await page.locator('#messages .message').count()).toBe(0);
  });
});
