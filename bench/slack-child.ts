/**
 * The Slack stand-in in its own process, so its work (parsing, Block Kit checks, storing) is not
 * charged to the bot under test: real Slack is another machine. Prints
 * `SLACK_READY {"apiUrl","responseBase"}`; answers stdin lines `posts` (times of every
 * chat.postMessage), `views` (trigger id and time of every views.open) and `message <channel> <ts>` (that message, blocks included).
 */
import { createInterface } from 'node:readline';
import { SlackWorkspace } from '../sandbox/slack-workspace';
import { TOKEN } from './lib';

async function main() {
  const slack = await new SlackWorkspace(TOKEN).start();
  const out = (tag: string, v: unknown) => process.stdout.write(`${tag} ${JSON.stringify(v)}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [cmd, channel, ts] = line.trim().split(' ');
    if (cmd === 'posts')
      out(
        'SLACK_POSTS',
        slack.callsOf('chat.postMessage').map((c) => c.at),
      );
    else if (cmd === 'views')
      out(
        'SLACK_VIEWS',
        slack.callsOf('views.open').map((c) => ({ trigger: c.args.trigger_id, at: c.at })),
      );
    else if (cmd === 'message') out('SLACK_MESSAGE', slack.findMessage(channel!, ts!) ?? null);
  });
  out('SLACK_READY', { apiUrl: slack.apiUrl, responseBase: slack.responseUrl('') });
  process.once('SIGTERM', () => void slack.close().then(() => process.exit(0)));
  // The parent's end of stdin closing means the parent is gone.
  process.stdin.once('end', () => void slack.close().then(() => process.exit(0)));
}

void main();
