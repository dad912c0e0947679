// The one OpenAI adapter (the weekly summary's prose, a review's narrative): a system prompt and
// a user message in, JSON out as unknown data. Every way the call can go wrong ends in a typed
// failure reason, never an exception, so the caller always has something to post.
import type OpenAI from 'openai';
import type { z } from 'zod';
import type { Env } from '../config/env';
import { describeError } from '../errors';

export const DEFAULT_MODEL = 'gpt-4o-mini';

/** Why no usable text came back: the call's own reasons, then those of the checks the callers run on the answer. */
export type LlmFailureReason =
  | 'no_api_key'
  | 'timeout'
  | 'http_error'
  | 'refusal'
  | 'truncated'
  | 'invalid_json'
  | 'schema_violation'
  | 'ungrounded_number'
  | 'contradicts_facts'
  | 'unknown_link'
  | 'error';

export interface LlmUsage {
  model: string;
  tokensIn: number | null;
  tokensOut: number | null;
}

export interface LlmCallOptions {
  timeoutMs: number;
  maxOutputTokens: number;
}

export type JsonAnswer = { ok: true; json: unknown; usage: LlmUsage } | { ok: false; reason: LlmFailureReason; detail: string; usage?: LlmUsage };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type OpenAiSdk = typeof import('openai');
type OpenAiZodHelpers = typeof import('openai/helpers/zod');

// Loaded by the first call with a key, once: the SDK is not needed to start or serve.
let sdk: Promise<[OpenAiSdk, OpenAiZodHelpers]> | undefined;
const loadOpenAiSdk = () => (sdk ??= Promise.all([import('openai'), import('openai/helpers/zod')]));

/** The OpenAI client, built from the environment; null without an API key. */
export async function createOpenAiClient(env: Env, timeoutMs: number): Promise<OpenAI | null> {
  if (!env.OPENAI_API_KEY) return null;
  const [{ default: OpenAI }] = await loadOpenAiSdk();
  return new OpenAI({ apiKey: env.OPENAI_API_KEY, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}), timeout: timeoutMs, maxRetries: 0 });
}

/**
 * Asks for an answer shaped by `schema` (OpenAI's structured output) and returns its JSON, not
 * yet checked: whatever body came with a 2xx (`null`, a string, an HTML page, an object missing
 * its fields) is read as unknown data, never trusted to have the completion's shape.
 */
export async function askForJson(
  env: Env,
  ask: { system: string; user: string; schema: z.ZodObject; schemaName: string },
  opts: LlmCallOptions,
): Promise<JsonAnswer> {
  const client = await createOpenAiClient(env, opts.timeoutMs);
  if (!client) return { ok: false, reason: 'no_api_key', detail: 'OPENAI_API_KEY is not set' };
  const [{ default: OpenAI }, { zodResponseFormat }] = await loadOpenAiSdk();
  const model = env.OPENAI_MODEL ?? DEFAULT_MODEL;
  let completion: unknown;
  try {
    completion = await client.chat.completions.create({
      model,
      temperature: 0.2,
      max_completion_tokens: opts.maxOutputTokens,
      response_format: zodResponseFormat(ask.schema, ask.schemaName),
      messages: [
        { role: 'system', content: ask.system },
        { role: 'user', content: ask.user },
      ],
    });
  } catch (err) {
    const usage = { model, tokensIn: null, tokensOut: null };
    if (err instanceof OpenAI.APIConnectionTimeoutError) return { ok: false, reason: 'timeout', detail: `no answer within ${opts.timeoutMs} ms`, usage };
    if (err instanceof OpenAI.APIError && err.status)
      return { ok: false, reason: 'http_error', detail: `HTTP ${err.status}: ${describeError(err).slice(0, 200)}`, usage };
    return { ok: false, reason: 'error', detail: describeError(err).slice(0, 300), usage };
  }
  const answer = isRecord(completion) ? completion : {};
  const tokens = isRecord(answer.usage) ? answer.usage : {};
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const usage: LlmUsage = {
    model: typeof answer.model === 'string' && answer.model ? answer.model : model,
    tokensIn: count(tokens.prompt_tokens),
    tokensOut: count(tokens.completion_tokens),
  };
  const choice = Array.isArray(answer.choices) ? (answer.choices[0] as unknown) : undefined;
  if (!isRecord(choice)) {
    const detail = isRecord(completion) ? 'no choices in the answer' : `the answer is not a completion (${completion === null ? 'null' : typeof completion})`;
    return { ok: false, reason: 'invalid_json', detail, usage };
  }
  const message = isRecord(choice.message) ? choice.message : {};
  if (typeof message.refusal === 'string' && message.refusal) return { ok: false, reason: 'refusal', detail: message.refusal.slice(0, 300), usage };
  if (choice.finish_reason === 'length') return { ok: false, reason: 'truncated', detail: 'the answer hit the token limit', usage };
  try {
    return { ok: true, json: JSON.parse(typeof message.content === 'string' ? message.content : ''), usage };
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: describeError(err).slice(0, 200), usage };
  }
}
