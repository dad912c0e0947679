// MAINTENANCE GUIDE → SECURITY MAINTENANCE. The guide gives these tasks no
// times or durations; the choices below are ours, each with its reason.
import type { ChecklistDef } from '../types';
import { figure } from './helpers';

export const securityDailyChecklist: ChecklistDef = {
  id: 'security-daily',
  name: 'Daily security checks',
  aliases: ['security'],
  // 09:30: right after the 15-minute 09:00 morning checklist, so the two do
  // not compete for attention, and early enough to act on overnight access.
  schedule: '30 9 * * *',
  durationMinutes: 10,
  ownerRole: 'tech-lead',
  channel: 'security',
  notes: ['Time and duration are ours (the guide says "daily"): 09:30, after the morning checklist, 10 minutes.'],
  sections: [
    {
      id: 'access-logs',
      title: 'Monitor Access Logs',
      items: [
        {
          id: 'access-logs',
          title: 'Check for suspicious activity',
          checks: [
            'Failed login attempts (>5 = investigate)',
            'Access from unusual locations',
            'Access at unusual times',
            'Unusual API usage patterns',
            'If suspicious: Lock account, investigate, notify user',
          ],
          figures: [figure('failed-logins', 'Failed login attempts', 'count', { target: '<= 5 (more = investigate)' })],
          severityOnProblem: 'p1',
        },
      ],
    },
    {
      id: 'security-alerts',
      title: 'Check Security Alerts',
      items: [
        {
          id: 'security-hub',
          title: 'AWS Security Hub',
          checks: [
            'Any high/critical findings?',
            'Any compliance violations?',
            'Any unusual network activity?',
            'If alerts: Investigate immediately, follow incident response',
          ],
          target: 'no high or critical findings',
          severityOnProblem: 'p1',
        },
      ],
    },
  ],
};

export const securityWeeklyChecklist: ChecklistDef = {
  id: 'security-weekly',
  name: 'Weekly security tasks',
  aliases: [],
  // Tuesday 10:00: Monday morning belongs to the weekly review, and early in
  // the week leaves room inside it to meet "High: fix within 7 days".
  schedule: '0 10 * * 2',
  durationMinutes: 30,
  ownerRole: 'tech-lead',
  channel: 'security',
  notes: ['Day, time and duration are ours (the guide says "weekly"): Tuesday 10:00, 30 minutes.'],
  sections: [
    {
      id: 'user-access',
      title: 'Review User Access',
      items: [
        {
          id: 'user-access',
          title: 'Review user access',
          checks: [
            'Any inactive users? (>30 days = disable)',
            'Any users with excessive permissions? (reduce)',
            'Any shared accounts? (create individual accounts)',
            'Any API keys not rotated? (>90 days = rotate)',
          ],
        },
      ],
    },
    {
      id: 'vulnerability-scanning',
      title: 'Vulnerability Scanning',
      items: [
        {
          id: 'vulnerability-scan',
          title: 'Run automated scans',
          checks: [
            'Mobile apps (OWASP Mobile Top 10)',
            'APIs (OWASP API Top 10)',
            'Infrastructure (AWS Inspector)',
            'If vulnerabilities found: Critical: Fix within 24 hours; High: Fix within 7 days; Medium: Fix within 30 days; Low: Fix in next update',
          ],
          severityOnProblem: 'p1',
        },
      ],
    },
  ],
};

export const securityMonthlyChecklist: ChecklistDef = {
  id: 'security-monthly',
  name: 'Monthly security tasks',
  aliases: [],
  // First Monday 11:00: the tech lead co-owns the 09:00–11:00 monthly review,
  // so this follows it rather than overlapping it.
  schedule: '0 11 * * 1#1',
  durationMinutes: 60,
  ownerRole: 'tech-lead',
  coOwnerRoles: ['cto'],
  channel: 'security',
  notes: ['Time and duration are ours (the guide says "monthly"): first Monday 11:00, after the monthly review, 60 minutes.'],
  sections: [
    {
      id: 'audit',
      title: 'Security Audit',
      items: [
        {
          id: 'security-audit',
          title: 'Full security review',
          checks: [
            'Access control audit',
            'Data encryption audit',
            'Backup integrity check',
            'Incident response test',
            'Compliance check',
            'Document findings and remediation plan',
          ],
          target: 'security compliance 100%',
          restrictedTo: ['tech-lead', 'cto'],
        },
      ],
    },
    {
      id: 'training',
      title: 'Security Training',
      items: [
        {
          id: 'security-training',
          title: 'Train team',
          checks: ['Phishing awareness', 'Password security', 'Data handling', 'Incident reporting', 'Track completion'],
          figures: [figure('training-completion', 'Training completion', 'percent', { target: '100%' })],
        },
      ],
    },
  ],
};
