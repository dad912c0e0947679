import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../deps';
import { csvRow } from './csv';
import { AUDIT_COLUMNS, auditRows, type AuditKind } from './rows';

export interface AuditRequest {
  kind: AuditKind;
  from: Date;
  /** Exclusive. */
  to: Date;
  /** e.g. "2026-03-01 to 2026-03-31" (for the file name and the comment). */
  label: string;
  fileLabel: string;
  userId: string;
}

export interface AuditResult {
  rows: number;
  bytes: number;
  fileId: string | undefined;
}

/**
 * Writes the CSV from paged queries straight into a temporary file (no range is ever held in
 * memory as rows), then shares it with the requester in a DM through `files.uploadV2`. Note: the
 * SDK reads the finished file into one buffer to upload it (Slack wants its length first).
 */
export async function exportAudit(deps: Deps, req: AuditRequest, page?: number): Promise<AuditResult> {
  const dir = await mkdtemp(join(tmpdir(), 'drainpro-audit-'));
  const filename = `drainpro-audit-${req.kind}-${req.fileLabel}.csv`;
  const path = join(dir, filename);
  try {
    let rows = 0;
    async function* lines() {
      yield csvRow(AUDIT_COLUMNS);
      for await (const r of auditRows(deps.db, req.kind, req.from, req.to, page)) {
        rows += 1;
        yield csvRow(r);
      }
    }
    await pipeline(Readable.from(lines()), createWriteStream(path));
    const { size } = await stat(path);
    const dm = await deps.slack.conversations.open({ users: req.userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('Slack did not open a DM with the requester');
    const res = (await deps.slack.files.uploadV2({
      channel_id: channel,
      file: path,
      filename,
      title: `Audit log (${req.kind}) ${req.label}`,
      initial_comment: `Audit export (${req.kind}), ${req.label}: ${rows} ${rows === 1 ? 'entry' : 'entries'}. Times are UTC.`,
    })) as { files?: { files?: { id?: string }[] }[] };
    return { rows, bytes: size, fileId: res.files?.[0]?.files?.[0]?.id };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
