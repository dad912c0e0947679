import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env';
import { writeProseWithLlm } from '../../src/summary/llm';
import { startOpenAiStandin, type OpenAiStandin } from '../../sandbox/standins/openai';
import { sampleFacts } from './fixtures';

/**
 * The OpenAI endpoint (or a proxy in front of it) answering in shapes the SDK does not expect:
 * every one ends in a typed failure with a reason (the summary then falls back to the plain
 * version), never an exception.
 */
const GARBAGE = [
  { name: '503 without the usual fields', status: 503, body: '{"error":"Service Unavailable"}' },
  { name: '502 HTML page', status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
  { name: '500 empty', status: 500, body: '' },
  { name: '200 empty', status: 200, body: '' },
  { name: '200 HTML page', status: 200, body: '<html><body>Sign in</body></html>', contentType: 'text/html' },
  { name: '200 cut JSON', status: 200, body: '{"id":"chatcmpl-1","choices":[{"message":{"content":"{' },
  { name: '200 null', status: 200, body: 'null' },
  { name: '200 list', status: 200, body: '[]' },
  { name: '200 empty object', status: 200, body: '{}' },
  { name: 'choices of the wrong type', status: 200, body: '{"choices":"many","usage":"lots","model":7}' },
  { name: 'a choice without a message', status: 200, body: '{"choices":[{"finish_reason":"stop","message":null}]}' },
  { name: 'a refusal that is not text', status: 200, body: '{"choices":[{"finish_reason":"stop","message":{"refusal":{"why":1},"content":7}}]}' },
];

let ai: OpenAiStandin;
beforeAll(async () => {
  ai = await startOpenAiStandin();
});
afterAll(() => ai.close());

describe('summary LLM answering garbage', () => {
  it.each(GARBAGE)('$name: a typed failure with a reason, no exception', async (g) => {
    ai.setFault({ kind: 'raw', status: g.status, body: g.body, ...(g.contentType ? { contentType: g.contentType } : {}) });
    const env = loadEnv({ OPENAI_API_KEY: ai.apiKey, OPENAI_BASE_URL: ai.baseUrl, OPENAI_MODEL: 'gpt-standin' });
    const r = await writeProseWithLlm(env, sampleFacts(), { timeoutMs: 2000, maxOutputTokens: 800 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(['http_error', 'invalid_json', 'error']).toContain(r.reason);
    expect(r.detail).toMatch(/\S/);
    expect(r.detail).not.toMatch(/Cannot read properties|^undefined$/);
    expect(ai.requests.length).toBeGreaterThan(0);
  });
});
