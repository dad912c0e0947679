import { z } from 'zod';

/**
 * What the LLM writes: prose only. The lengths bound the message (they keep every section within
 * Block Kit's 3000 characters) and the output tokens.
 */
export const summaryProseSchema = z
  .object({
    executiveSummary: z.string().min(1).max(700),
    wins: z.array(z.string().min(1).max(240)).max(5),
    challenges: z.array(z.string().min(1).max(240)).max(5),
    planNextWeek: z.array(z.string().min(1).max(240)).max(5),
  })
  .strict();

export type SummaryProse = z.infer<typeof summaryProseSchema>;
