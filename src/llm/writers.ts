import type { Env } from '../config/env';
import type { Llm } from '../deps';
import { writeNarrative } from '../review/llm';
import { writeProseWithLlm } from '../summary/llm';

/** `deps.llm` from the environment: OpenAI when OPENAI_API_KEY is set; without it every call says `no_api_key`. */
export function openAiLlm(env: Env): Llm {
  return {
    writeProse: (facts, opts) => writeProseWithLlm(env, facts, opts),
    writeNarrative: (facts, opts) => writeNarrative(env, facts, opts),
  };
}
