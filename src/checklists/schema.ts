// zod schemas for checklist definitions, used for the built-in defaults and
// for OPS_CONFIG overrides, so a bad override fails at start-up with a path
// (e.g. `sections.1.items.0.id`) instead of misbehaving at 9:00 on Monday.
import { z } from 'zod';
import { parseCron } from '../schedule/index';

// Ids end up inside Slack action/block ids (255 chars max) next to run ids.
const ID_MAX = 40;
export const idSchema = z
  .string()
  .max(ID_MAX, `ids are at most ${ID_MAX} characters`)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and dashes, starting with a letter or digit');

const text = z.string().trim().min(1);

export const cronSchema = z.string().superRefine((value, ctx) => {
  try {
    parseCron(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

export const figureDefSchema = z.strictObject({
  id: idSchema,
  label: text,
  unit: z.enum(['count', 'money', 'percent', 'minutes', 'rating', 'ms', 'seconds', 'text']),
  compareTo: z
    .array(
      z.enum([
        'previous_day',
        'same_day_last_week',
        'previous_week',
        'same_week_last_month',
        'same_week_last_year',
        'previous_month',
        'same_month_last_year',
        'previous_quarter',
        'same_quarter_last_year',
      ]),
    )
    .optional(),
  target: text.optional(),
});

export const itemDefSchema = z.strictObject({
  id: idSchema,
  title: text,
  checks: z.array(text).min(1),
  target: text.optional(),
  probe: z.enum(['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents']).optional(),
  figures: z.array(figureDefSchema).optional(),
  severityOnProblem: z.enum(['p0', 'p1', 'p2', 'p3']).optional(),
  restrictedTo: z.array(idSchema).min(1).optional(),
  differentSignerFrom: idSchema.optional(),
  drRecord: z.boolean().optional(),
});

export const sectionDefSchema = z.strictObject({
  id: idSchema,
  title: text,
  items: z.array(itemDefSchema).min(1),
});

type Path = (string | number)[];

/** Reports every id seen before under the same kind, at the path of the repeat. */
function uniqueIds(ctx: z.RefinementCtx, kind: string, entries: { id: string; path: Path }[]): void {
  const first = new Map<string, Path>();
  for (const { id, path } of entries) {
    const earlier = first.get(id);
    if (earlier) {
      ctx.addIssue({ code: 'custom', path, message: `duplicate ${kind} id "${id}" (first used at ${earlier.join('.')})` });
    } else first.set(id, path);
  }
}

export const checklistDefSchema = z
  .strictObject({
    id: idSchema,
    name: text,
    aliases: z.array(idSchema),
    schedule: cronSchema,
    durationMinutes: z.number().int().positive(),
    ownerRole: idSchema,
    coOwnerRoles: z.array(idSchema).optional(),
    channel: idSchema,
    graceMinutes: z.number().int().nonnegative().optional(),
    notes: z.array(text).optional(),
    sections: z.array(sectionDefSchema).min(1),
  })
  .superRefine((def, ctx) => {
    // Sections, items and figures are separate namespaces: a "backups" section
    // holding a "backups" item is fine, two "backups" items are not.
    uniqueIds(
      ctx,
      'section',
      def.sections.map((s, i) => ({ id: s.id, path: ['sections', i, 'id'] })),
    );
    const items = def.sections.flatMap((s, i) => s.items.map((item, j) => ({ item, path: ['sections', i, 'items', j] as Path })));
    uniqueIds(
      ctx,
      'item',
      items.map(({ item, path }) => ({ id: item.id, path: [...path, 'id'] })),
    );
    uniqueIds(
      ctx,
      'figure',
      items.flatMap(({ item, path }) => (item.figures ?? []).map((f, k) => ({ id: f.id, path: [...path, 'figures', k, 'id'] }))),
    );
    uniqueIds(
      ctx,
      'alias',
      def.aliases.map((a, i) => ({ id: a, path: ['aliases', i] })),
    );
  });

/** A whole set: checklist ids unique, and every id or alias names exactly one checklist. */
export const checklistSetSchema = z.array(checklistDefSchema).superRefine((defs, ctx) => {
  uniqueIds(
    ctx,
    'checklist',
    defs.map((d, i) => ({ id: d.id, path: [i, 'id'] })),
  );
  const owner = new Map<string, string>();
  defs.forEach((d) => owner.set(d.id, d.id));
  defs.forEach((d, i) =>
    d.aliases.forEach((alias, j) => {
      const other = owner.get(alias);
      if (other !== undefined && other !== d.id) {
        ctx.addIssue({ code: 'custom', path: [i, 'aliases', j], message: `alias "${alias}" already names checklist "${other}"` });
      } else owner.set(alias, d.id);
    }),
  );
});
