import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../blocks/limits';
import { SLACK_LIMITS, slackMessageProblems, slackViewProblems } from '../../sandbox/slack-limits';
import { SlackWorkspace } from '../../sandbox/slack-workspace';

/**
 * The Slack stand-in's own Block Kit limits (sandbox/slack-limits.ts, from Slack's documentation):
 * each limit lets its maximum through and flags one more, through the workspace's real Web API;
 * and the bot's table (blocks/limits.ts) must agree with it, so a wrong limit in the bot fails here
 * even before a message hits it.
 */
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'a', text: plain('Go'), ...over });
const option = (text = 'o', value = 'v') => ({ text: plain(text), value });
const msg = (...blocks: unknown[]) => ({ text: 'fallback', blocks });
const modal = (blocks: unknown[], over: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Title'), blocks, ...over });

/** [what, at the limit, one over, the path the problem names] */
const cases: [string, unknown, unknown, string][] = [
  ['50 blocks per message', msg(...Array(50).fill({ type: 'divider' })), msg(...Array(51).fill({ type: 'divider' })), 'blocks'],
  ['section text 3000', msg({ type: 'section', text: mrkdwn(x(3000)) }), msg({ type: 'section', text: mrkdwn(x(3001)) }), 'blocks.0.text.text'],
  [
    '10 fields',
    msg({ type: 'section', fields: Array(10).fill(mrkdwn('f')) }),
    msg({ type: 'section', fields: Array(11).fill(mrkdwn('f')) }),
    'blocks.0.fields',
  ],
  ['field text 2000', msg({ type: 'section', fields: [mrkdwn(x(2000))] }), msg({ type: 'section', fields: [mrkdwn(x(2001))] }), 'blocks.0.fields.0.text'],
  ['header text 150', msg({ type: 'header', text: plain(x(150)) }), msg({ type: 'header', text: plain(x(151)) }), 'blocks.0.text.text'],
  [
    'button text 75',
    msg({ type: 'actions', elements: [button({ text: plain(x(75)) })] }),
    msg({ type: 'actions', elements: [button({ text: plain(x(76)) })] }),
    'blocks.0.elements.0.text.text',
  ],
  [
    'button value 2000',
    msg({ type: 'actions', elements: [button({ value: x(2000) })] }),
    msg({ type: 'actions', elements: [button({ value: x(2001) })] }),
    'blocks.0.elements.0.value',
  ],
  [
    'action_id 255',
    msg({ type: 'actions', elements: [button({ action_id: x(255) })] }),
    msg({ type: 'actions', elements: [button({ action_id: x(256) })] }),
    'blocks.0.elements.0.action_id',
  ],
  ['block_id 255', msg({ type: 'divider', block_id: x(255) }), msg({ type: 'divider', block_id: x(256) }), 'blocks.0.block_id'],
  [
    '25 elements per actions block',
    msg({ type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` })) }),
    msg({ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }),
    'blocks.0.elements',
  ],
  [
    '10 context elements',
    msg({ type: 'context', elements: Array(10).fill(mrkdwn('c')) }),
    msg({ type: 'context', elements: Array(11).fill(mrkdwn('c')) }),
    'blocks.0.elements',
  ],
  [
    'option text 75',
    msg({ type: 'section', text: mrkdwn('s'), accessory: { type: 'static_select', action_id: 's', options: [option(x(75))] } }),
    msg({ type: 'section', text: mrkdwn('s'), accessory: { type: 'static_select', action_id: 's', options: [option(x(76))] } }),
    'blocks.0.accessory.options.0.text.text',
  ],
  ['message text 40,000', { text: x(40_000) }, { text: x(40_001) }, 'text'],
];

describe('the Slack stand-in checks Block Kit against its own documented limits', () => {
  let ws: SlackWorkspace;
  beforeAll(async () => {
    ws = await new SlackWorkspace('xoxb-limits').start();
  });
  afterAll(() => ws.close());

  const post = async (body: unknown) => {
    const res = await fetch(`${ws.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
      body: JSON.stringify({ channel: 'ops', ...(body as object) }),
    });
    const { ts } = (await res.json()) as { ts: string };
    return ws.findMessage('ops', ts)!;
  };

  it.each(cases)('%s: the maximum passes, one more is flagged', async (_what, atLimit, over, path) => {
    expect(slackMessageProblems(atLimit)).toBeNull();
    expect((await post(atLimit)).problems).toBeUndefined();
    const flagged = await post(over);
    expect(flagged.problems).toMatch(new RegExp(`(^|; )${path.replace(/\./g, '\\.')}: `));
    expect(ws.problems.at(-1)).toContain(`chat.postMessage: ${path}`);
  });

  it('modals: 100 blocks, a 24-character title, 3000 of private_metadata, submit with inputs', () => {
    const dividers = (n: number) => Array(n).fill({ type: 'divider' });
    expect(slackViewProblems(modal(dividers(100), { private_metadata: x(3000) }), 'modal')).toBeNull();
    expect(slackViewProblems(modal(dividers(101)), 'modal')).toMatch(/^blocks: 101 items \(limit 100\)/);
    expect(slackViewProblems(modal([], { title: plain(x(25)) }), 'modal')).toMatch(/title\.text: 25 characters/);
    expect(slackViewProblems(modal([], { private_metadata: x(3001) }), 'modal')).toMatch(/private_metadata: 3001 characters/);
    const input = { type: 'input', label: plain('Note'), element: { type: 'plain_text_input', action_id: 'n' } };
    expect(slackViewProblems(modal([input]), 'modal')).toMatch(/submit: is required/);
    expect(slackViewProblems(modal([input], { submit: plain('Save') }), 'modal')).toBeNull();
  });

  it('the Home tab holds 100 blocks; ids and types are checked everywhere', () => {
    expect(slackViewProblems({ type: 'home', blocks: Array(100).fill({ type: 'divider' }) }, 'home')).toBeNull();
    expect(slackViewProblems({ type: 'home', blocks: Array(101).fill({ type: 'divider' }) }, 'home')).toMatch(/blocks: 101 items/);
    expect(slackMessageProblems(msg({ type: 'divider', block_id: 'd' }, { type: 'divider', block_id: 'd' }))).toMatch(/blocks\.1: duplicate block_id d/);
    expect(slackMessageProblems(msg({ type: 'header', text: mrkdwn('*bold*') }))).toMatch(/blocks\.0\.text\.type: must be plain_text/);
    expect(slackMessageProblems(msg({ type: 'tabla' }))).toMatch(/unknown block type/);
    expect(slackMessageProblems(msg({ type: 'section', text: mrkdwn('') }))).toMatch(/blocks\.0\.text\.text: must not be empty/);
    expect(slackMessageProblems({ blocks: [] })).toMatch(/^text: /);
  });

  it('the bot’s own limit table agrees with Slack’s documented limits', () => {
    const shared: [keyof typeof LIMITS, keyof typeof SLACK_LIMITS][] = [
      ['messageBlocks', 'messageBlocks'],
      ['modalBlocks', 'viewBlocks'],
      ['sectionText', 'sectionText'],
      ['sectionFields', 'sectionFields'],
      ['fieldText', 'fieldText'],
      ['headerText', 'headerText'],
      ['buttonText', 'buttonText'],
      ['id', 'id'],
      ['buttonValue', 'buttonValue'],
      ['actionsElements', 'actionsElements'],
      ['contextElements', 'contextElements'],
      ['modalTitle', 'viewTitle'],
      ['privateMetadata', 'privateMetadata'],
      ['messageText', 'messageText'],
    ];
    for (const [bot, slack] of shared) expect({ [bot]: LIMITS[bot] }).toEqual({ [bot]: SLACK_LIMITS[slack] });
  });
});
