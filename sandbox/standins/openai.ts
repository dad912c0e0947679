import { json, startStandin, type RecordedRequest, type Reply, type Standin } from './server';

/** What POST /v1/chat/completions answers next. Faults (500, hang, malformed body) use `setFault`. */
export type ChatAnswer =
  | { kind: 'json'; value: unknown | ((req: ChatRequest) => unknown) } // content = JSON.stringify(value)
  | { kind: 'content'; content: string } // raw content, e.g. not JSON at all
  | { kind: 'refusal'; refusal: string }
  | { kind: 'length' }; // cut off at max tokens

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  max_completion_tokens?: number;
  [k: string]: unknown;
}

export interface OpenAiStandin extends Standin {
  /** Pass as OPENAI_BASE_URL (…/v1). */
  baseUrl: string;
  apiKey: string;
  answer(a: ChatAnswer): void;
  /** Parsed bodies of the chat completion requests received. */
  chatRequests(): ChatRequest[];
}

/**
 * A real HTTP stand-in of OpenAI's chat completions API, answering in OpenAI's wire format
 * (chat.completion objects with `usage`, the `{ error: { … } }` error shape), checking the
 * bearer key, and programmable per test.
 */
export async function startOpenAiStandin(apiKey = 'sk-test-openai-standin'): Promise<OpenAiStandin> {
  let next: ChatAnswer = { kind: 'content', content: '{}' };
  let seq = 0;
  const errorBody = (status: number, message: string) =>
    json(status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } });

  const completion = (req: ChatRequest, message: Record<string, unknown>, finish: string): Reply => {
    const promptTokens = Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 4);
    const completionTokens = Math.ceil(String(message.content ?? message.refusal ?? '').length / 4);
    seq += 1;
    return json(200, {
      id: `chatcmpl-standin-${seq}`,
      object: 'chat.completion',
      created: 1_772_000_000 + seq,
      model: req.model,
      choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, ...message }, logprobs: null, finish_reason: finish }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'fp_standin',
    });
  };

  const standin = await startStandin({
    handle: (rec: RecordedRequest) => {
      if (rec.method !== 'POST' || rec.path !== '/v1/chat/completions') return errorBody(404, `Unknown request URL: ${rec.method} ${rec.path}`);
      if (rec.headers.authorization !== `Bearer ${apiKey}`) return errorBody(401, 'Incorrect API key provided.');
      const req = JSON.parse(rec.body) as ChatRequest;
      switch (next.kind) {
        case 'json': {
          const value = typeof next.value === 'function' ? (next.value as (r: ChatRequest) => unknown)(req) : next.value;
          return completion(req, { content: JSON.stringify(value) }, 'stop');
        }
        case 'content':
          return completion(req, { content: next.content }, 'stop');
        case 'refusal':
          return completion(req, { refusal: next.refusal }, 'stop');
        case 'length':
          return completion(req, { content: '{"executiveSummary": "The week' }, 'length');
      }
    },
    errorReply: (status) => errorBody(status, status >= 500 ? 'The server had an error while processing your request.' : 'Request failed.'),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '<html><body>502 Bad Gateway</body></html>' }),
  });

  return {
    ...standin,
    baseUrl: `${standin.url}/v1`,
    apiKey,
    answer: (a) => {
      next = a;
    },
    chatRequests: () => standin.requests.filter((r) => r.path === '/v1/chat/completions' && r.method === 'POST').map((r) => JSON.parse(r.body) as ChatRequest),
  };
}
