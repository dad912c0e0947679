// MAINTENANCE GUIDE → CONTINUOUS IMPROVEMENT → Quarterly Innovation Review.
import type { ChecklistDef } from '../types';
import { figure } from './helpers';

export const innovationReviewChecklist: ChecklistDef = {
  id: 'innovation-review',
  name: 'Quarterly innovation review',
  aliases: ['innovation'],
  // The guide gives this review no slot; its calendar puts the quarter's reviews in the quarter's
  // first week. We use the first Tuesday of January, April, July and October at 9:00: that week,
  // the morning after the quarterly review. node-cron ANDs the day fields, so 1-7 + Tuesday is it.
  schedule: '0 9 1-7 1,4,7,10 2',
  durationMinutes: 120,
  ownerRole: 'tech-lead',
  coOwnerRoles: ['ceo', 'ops-manager'],
  channel: 'leadership',
  notes: [
    'The guide names no day, owner or duration for the innovation review: the first Tuesday of each quarter at 9:00 (the first week, after the quarterly review), 2 hours, the Technical Lead with the CEO and the Operations Manager, are ours.',
    'Record each innovation to pilot and each process improvement with `/ops improve add`: it is RICE-scored and ranked with the monthly improvements, and reminded at its deadline.',
  ],
  sections: [
    {
      id: 'technologies',
      title: 'Explore New Technologies',
      items: [
        {
          id: 'research',
          title: 'Research',
          checks: ['New AI capabilities', 'New automation tools', 'New integration options', 'New mobile features', 'New analytics tools'],
        },
        {
          id: 'evaluate',
          title: 'Evaluate',
          checks: ['Business value', 'Implementation cost', 'Risk level', 'Timeline'],
        },
        {
          id: 'pilot',
          title: 'Pilot top 2 innovations',
          checks: ['The two that evaluate best', 'Each recorded with `/ops improve add`: owner, deadline, success criteria'],
          figures: [figure('innovation-pilots', 'Innovations to pilot', 'text')],
        },
      ],
    },
    {
      id: 'processes',
      title: 'Process Improvements',
      items: [
        {
          id: 'review-processes',
          title: 'Review all processes',
          checks: ['Lead generation', 'Lead qualification', 'Booking', 'Service delivery', 'Payment', 'Follow-up'],
          figures: [figure('process-improvements', 'Process improvements found', 'text')],
        },
      ],
    },
  ],
};
