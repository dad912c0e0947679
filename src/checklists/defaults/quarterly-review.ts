// MAINTENANCE GUIDE → QUARTERLY MAINTENANCE TASKS → First Week of Quarter (4 hours).
import type { ChecklistDef } from '../types';
import { QUARTER_COMPARISONS, figure } from './helpers';

const quarter = { compareTo: QUARTER_COMPARISONS };

export const quarterlyReviewChecklist: ChecklistDef = {
  id: 'quarterly-review',
  name: 'Quarterly review',
  aliases: ['quarterly'],
  // "First week of quarter" with no day or time in the guide: we use the
  // first Monday of Jan/Apr/Jul/Oct at 9:00, the calendar's own rhythm.
  // node-cron ANDs the day fields, so 1-7 + Monday is exactly that Monday.
  schedule: '0 9 1-7 1,4,7,10 1',
  durationMinutes: 240,
  ownerRole: 'ceo',
  coOwnerRoles: ['ops-manager', 'tech-lead'],
  channel: 'leadership',
  notes: [
    'Owner per the guide: CEO + Operations Manager + Technical Lead.',
    'The guide says "first week of quarter"; it runs on the first Monday of January, April, July and October at 9:00, the same morning as the monthly review.',
  ],
  sections: [
    {
      id: 'business',
      title: 'Quarterly Business Review',
      items: [
        {
          id: 'quarter-performance',
          title: 'Review last 90 days',
          checks: [
            'Total leads',
            'Total bookings',
            'Total revenue',
            'Total profit',
            'Growth rate',
            'Compare to: previous quarter, same quarter last year, annual target (% complete)',
          ],
          figures: [
            figure('total-leads', 'Total leads', 'count', quarter),
            figure('total-bookings', 'Total bookings', 'count', quarter),
            figure('total-revenue', 'Total revenue', 'money', quarter),
            figure('total-profit', 'Total profit', 'money', quarter),
            figure('growth-rate', 'Growth rate', 'percent', quarter),
            figure('annual-target-complete', 'Annual target complete', 'percent'),
          ],
        },
        {
          id: 'strategic-questions',
          title: 'Strategic questions',
          checks: ['Are we on track for annual goals?', "What's working well?", 'What needs improvement?', 'Any major changes needed?'],
        },
      ],
    },
    {
      id: 'technology',
      title: 'Technology Review',
      items: [
        {
          id: 'mobile-apps',
          title: 'Mobile Apps',
          checks: ['Performance: Good/Needs improvement', 'User satisfaction (/5)', 'Feature requests', 'Technical debt: Low/Medium/High'],
          figures: [figure('app-user-satisfaction', 'User satisfaction', 'rating'), figure('app-feature-requests', 'Feature requests', 'text')],
        },
        {
          id: 'ghl-platform',
          title: 'GHL Platform',
          checks: ['Workflow efficiency', 'New features to adopt', 'Optimization opportunities'],
          figures: [
            figure('ghl-workflow-efficiency', 'Workflow efficiency', 'percent'),
            figure('ghl-new-features', 'New features to adopt', 'text'),
            figure('ghl-optimization-opportunities', 'Optimization opportunities', 'text'),
          ],
        },
        {
          id: 'ai-agents',
          title: 'AI Agents',
          checks: ['Overall performance', 'Model accuracy', 'Need retraining: Yes/No', 'New capabilities to add'],
          figures: [
            figure('ai-overall-performance', 'Overall performance', 'percent'),
            figure('ai-model-accuracy', 'Model accuracy', 'percent', { target: '>= 90%' }),
            figure('ai-new-capabilities', 'New capabilities to add', 'text'),
          ],
        },
        {
          id: 'infrastructure',
          title: 'Infrastructure',
          checks: ['AWS costs (trending up/down)', 'Performance: Good/Needs improvement', 'Scalability: Adequate/Need upgrade'],
          figures: [figure('aws-costs', 'AWS costs', 'money', quarter)],
        },
      ],
    },
    {
      id: 'competition',
      title: 'Competitive Analysis',
      items: [
        {
          id: 'competitor-research',
          title: 'Research competitors',
          checks: [
            'New competitors entered market?',
            'Competitor pricing changes?',
            'Competitor new services?',
            'Our competitive advantages',
            'Our competitive disadvantages',
          ],
          figures: [
            figure('competitive-advantages', 'Our competitive advantages', 'text'),
            figure('competitive-disadvantages', 'Our competitive disadvantages', 'text'),
          ],
        },
        {
          id: 'competitive-actions',
          title: 'Competitive actions',
          checks: ['Adjust pricing if needed', 'Add new services if needed', 'Improve marketing if needed'],
        },
      ],
    },
    {
      id: 'planning',
      title: 'Strategic Planning',
      items: [
        {
          id: 'goals',
          title: 'Goals for next quarter',
          checks: ['Lead target', 'Revenue target', 'Profit target', 'Growth target'],
          figures: [
            figure('lead-target', 'Lead target', 'count'),
            figure('revenue-target', 'Revenue target', 'money'),
            figure('profit-target', 'Profit target', 'money'),
            figure('growth-target', 'Growth target', 'percent'),
          ],
          restrictedTo: ['ceo'],
        },
        {
          id: 'initiatives',
          title: 'Initiatives',
          checks: ['New features to build', 'New markets to enter', 'New services to offer', 'Process improvements'],
          figures: [
            figure('new-features', 'New features to build', 'text'),
            figure('new-markets', 'New markets to enter', 'text'),
            figure('new-services', 'New services to offer', 'text'),
            figure('process-improvements', 'Process improvements', 'text'),
          ],
        },
        {
          id: 'budget',
          title: 'Budget',
          checks: ['Marketing budget', 'Technology budget', 'Hiring budget', 'Total budget'],
          figures: [
            figure('marketing-budget', 'Marketing budget', 'money'),
            figure('technology-budget', 'Technology budget', 'money'),
            figure('hiring-budget', 'Hiring budget', 'money'),
            figure('total-budget', 'Total budget', 'money'),
          ],
          restrictedTo: ['ceo'],
        },
      ],
    },
    {
      id: 'team',
      title: 'Team Review',
      items: [
        {
          id: 'technicians',
          title: 'Technicians',
          checks: ['Total technicians', 'Average performance (/5)', 'Training needs', 'Hiring needs'],
          figures: [
            figure('total-technicians', 'Total technicians', 'count'),
            figure('technician-performance', 'Average performance', 'rating'),
            figure('training-needs', 'Training needs', 'text'),
            figure('hiring-needs', 'Hiring needs', 'text'),
          ],
        },
        {
          id: 'operations',
          title: 'Operations',
          checks: ['Team size', 'Workload: Manageable/Overwhelming', 'Process efficiency', 'Improvement opportunities'],
          figures: [
            figure('team-size', 'Team size', 'count'),
            figure('process-efficiency', 'Process efficiency', 'percent'),
            figure('improvement-opportunities', 'Improvement opportunities', 'text'),
          ],
        },
        {
          id: 'team-actions',
          title: 'Team actions',
          checks: ['Hire if needed', 'Train if needed', 'Promote if deserved', 'Restructure if needed'],
          restrictedTo: ['ceo', 'ops-manager'],
        },
      ],
    },
  ],
};
