// Temporary foundation copy: the full calendar lands with the schedule work.
import { z } from 'zod';

export type Unit = 'count' | 'money' | 'percent' | 'minutes' | 'rating' | 'ms' | 'seconds' | 'text';
export interface FigureDef { id: string; label: string; unit: Unit; target?: string }
export interface ItemDef {
  id: string;
  title: string;
  checks: string[];
  target?: string;
  probe?: 'health' | 'alarms' | 'errors' | 'backups' | 'payments' | 'forwarding' | 'agents';
  figures?: FigureDef[];
  severityOnProblem?: 'p0' | 'p1' | 'p2' | 'p3';
  restrictedTo?: string[];
}
export interface SectionDef { id: string; title: string; items: ItemDef[] }
export interface ChecklistDef {
  id: string;
  name: string;
  aliases: string[];
  schedule: string;
  durationMinutes: number;
  ownerRole: string;
  channel: string;
  graceMinutes?: number;
  sections: SectionDef[];
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).max(40);
const itemSchema = z.object({
  id,
  title: z.string().min(1).max(120),
  checks: z.array(z.string().min(1).max(200)),
  target: z.string().max(200).optional(),
  probe: z.enum(['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents']).optional(),
  figures: z.array(z.object({ id, label: z.string(), unit: z.enum(['count', 'money', 'percent', 'minutes', 'rating', 'ms', 'seconds', 'text']), target: z.string().optional() })).optional(),
  severityOnProblem: z.enum(['p0', 'p1', 'p2', 'p3']).optional(),
  restrictedTo: z.array(z.string()).optional(),
});
export const checklistDefSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  aliases: z.array(z.string()),
  schedule: z.string().min(9),
  durationMinutes: z.number().int().positive(),
  ownerRole: z.string(),
  channel: z.string(),
  graceMinutes: z.number().int().nonnegative().optional(),
  sections: z.array(z.object({ id, title: z.string(), items: z.array(itemSchema).min(1) })).min(1),
});

export const defaultChecklists: ChecklistDef[] = [
  {
    id: 'morning',
    name: 'Morning Checklist',
    aliases: ['morning', 'daily'],
    schedule: '0 9 * * *',
    durationMinutes: 15,
    ownerRole: 'ops-manager',
    channel: 'ops',
    sections: [
      {
        id: 'daily',
        title: 'Daily checks',
        items: [
          { id: 'system-health', title: 'System health', checks: ['GET /api/health: status healthy, all systems operational'], target: 'healthy, response < 200 ms', probe: 'health', severityOnProblem: 'p0' },
          { id: 'overnight-metrics', title: 'Overnight metrics', checks: ['Total calls match expected volume', 'Forwarding success rate > 95%', 'Workflow completion rate > 90%', 'AI agents all "active"', 'Error count < 10'], target: 'forwarding > 95%, workflows > 90%, errors < 10' },
          { id: 'critical-alerts', title: 'Critical alerts', checks: ['CloudWatch alarms: high error rate, low forwarding rate, high CPL, system down'], target: 'no alarms firing', probe: 'alarms' },
          { id: 'call-forwarding', title: 'Call forwarding', checks: ['Busy technician line forwards to GHL within 2 seconds', 'GHL receives the call'], target: 'forwards within 2 s', probe: 'forwarding', severityOnProblem: 'p1' },
          { id: 'ai-agents', title: 'AI agent activity', checks: ['Monitor Agent ran every 15-60 min', 'Diagnostic Agent ran if issues detected', 'Optimizing Agent made changes if needed', 'All agents completed successfully'], target: 'all agents completed', probe: 'agents' },
          { id: 'payments', title: 'Payment processing', checks: ['All payments processed', 'Failed payments < 5%', 'No chargebacks', 'No fraud alerts'], target: 'failed < 5%, 0 chargebacks, 0 fraud alerts', probe: 'payments', severityOnProblem: 'p0' },
          { id: 'customer-feedback', title: 'Customer feedback', checks: ['New reviews received', 'Average rating > 4.5', 'Negative reviews answered within 24 h', 'Review request completion > 30%'], target: 'rating > 4.5, requests > 30%' },
        ],
      },
    ],
  },
];

export function findChecklist(defs: readonly ChecklistDef[], nameOrAlias: string): ChecklistDef | undefined {
  const key = nameOrAlias.trim().toLowerCase();
  return defs.find((d) => d.id === key || d.aliases.some((a) => a.toLowerCase() === key));
}

export function checklistItemCount(def: ChecklistDef): number {
  return def.sections.reduce((n, s) => n + s.items.length, 0);
}
