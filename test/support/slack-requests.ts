import * as payloads from '../../src/sandbox/payloads';

/** The builders live with the sandbox (it sends the same requests); tests add fixed credentials. */
export { blockAction, slashCommand, viewSubmission, type ActionInput, type SentResponse, type SlashInput, type ViewInput } from '../../src/sandbox/payloads';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

export type SendOptions = Partial<payloads.SendOptions>;

/** Posts a form-encoded body to the bot exactly as Slack would, signed with the test secret by default. */
export function postSigned(baseUrl: string, form: Record<string, string>, opts: SendOptions = {}): Promise<payloads.SentResponse> {
  return payloads.postSigned(baseUrl, form, { ...opts, secret: opts.secret ?? SIGNING_SECRET });
}
