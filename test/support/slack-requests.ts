import * as payloads from '../../sandbox/payloads';

/** The tests' fixed credentials; the request builders are the sandbox's own (sandbox/payloads.ts). */
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

export type SendOptions = Partial<payloads.SendOptions>;

/** Posts a form-encoded body to the bot exactly as Slack would, signed with the test secret by default. */
export function postSigned(baseUrl: string, form: Record<string, string>, opts: SendOptions = {}): Promise<payloads.SentResponse> {
  return payloads.postSigned(baseUrl, form, { ...opts, secret: opts.secret ?? SIGNING_SECRET });
}
