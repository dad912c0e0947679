import type { ChecklistDef } from '../checklists';

export const DR_CHECKLIST_ID = 'dr-procedure';
export const DR_PERIOD_PREFIX = 'incident:';

/** Step ids with behaviour beyond being signed (src/dr/flow.ts). */
export const DrSteps = {
  notify: 'notify-stakeholders',
  backOnline: 'back-online',
  monitor: 'monitor-24h',
  postMortem: 'post-mortem',
} as const;

/**
 * The guide's ten steps ("If System Goes Down", BACKUP & DISASTER RECOVERY), as a checklist run
 * attached to the incident. Never scheduled (it is not in `checklists`): the run is created by
 * the incident, period `incident:<id>`, so one incident gets it once.
 */
export function drProcedureDef(incidentId: number, monitorHours: number, stakeholders: string): ChecklistDef {
  const item = (id: string, title: string, checks: string[] = []) => ({ id, title, checks });
  return {
    id: DR_CHECKLIST_ID,
    name: `Disaster recovery — incident #${incidentId}`,
    aliases: [],
    schedule: '0 0 1 1 *',
    durationMinutes: 60,
    ownerRole: 'tech-lead',
    channel: 'incidents',
    notes: ['Attached because a P0 says the system is down. Each step you sign is written on the incident timeline.'],
    sections: [
      {
        id: 'recover',
        title: 'If system goes down',
        items: [
          item('assess-severity', '1. Assess severity (partial or complete failure)', ['Say which in a note: Problem or Done with the note']),
          item(DrSteps.notify, '2. Notify stakeholders immediately', [`Done posts the incident to ${stakeholders}`]),
          item('activate-team', '3. Activate disaster recovery team'),
          item('restore-from-backup', '4. Begin restoration from latest backup'),
          item('verify-integrity', '5. Verify data integrity'),
          item('test-functionality', '6. Test all functionality'),
          item(DrSteps.backOnline, '7. Bring system back online', [`Done starts the ${monitorHours}-hour monitoring window`]),
          item(DrSteps.monitor, `8. Monitor closely for ${monitorHours} hours`, ['I remind this channel when the window ends']),
          item(DrSteps.postMortem, '9. Conduct post-mortem', [postMortemCheck(incidentId, null)]),
          item('update-procedures', '10. Update procedures based on learnings'),
        ],
      },
    ],
  };
}

/**
 * The post-mortem step's line about the post-incident review draft: where it is once it exists
 * (src/review writes it when the incident is resolved), or that there is none yet.
 */
export function postMortemCheck(incidentId: number, review: { posted: string } | null): string {
  return review
    ? `Start from the post-incident review draft posted in this channel on ${review.posted}: /incident review ${incidentId} shows it again`
    : `No post-incident review draft yet: it is posted in this channel when incident #${incidentId} is resolved, and this step then points at it`;
}

/** `incident:12` → 12 */
export function incidentOfPeriod(periodKey: string): number | null {
  if (!periodKey.startsWith(DR_PERIOD_PREFIX)) return null;
  const id = Number(periodKey.slice(DR_PERIOD_PREFIX.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
