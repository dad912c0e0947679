// Types for the page's plain-JavaScript renderer, so tests can check it from TypeScript.
export interface TextContext {
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
}
export function esc(s: unknown): string;
export function emoji(html: string): string;
export function mrkdwn(src: string, ctx?: TextContext): string;
export function textHtml(t: { type: 'plain_text' | 'mrkdwn'; text: string } | undefined, ctx?: TextContext): string;
export function h(tag: string, attrs?: Record<string, unknown>, ...children: unknown[]): HTMLElement;
export function errorBox(title: string, detail: string): HTMLElement;
export function renderBlocks(blocks: unknown[], ctx?: TextContext & Record<string, unknown>): HTMLElement;
