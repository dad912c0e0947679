import type { WorkspaceState } from './workspace-state';

type Result = Record<string, unknown> & { ok: boolean };

/** A file going through Slack's external upload: URL asked, bytes posted, then completed (shared). */
export interface StandinUpload {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal; Slack rejects a different byte count. */
  length: number;
  altText?: string;
  /** The bytes posted to the upload URL (the multipart field the SDK sends). */
  bytes?: Buffer;
  title?: string;
  channel?: string;
  initialComment?: string;
  threadTs?: string;
  completed: boolean;
}

/**
 * files.getUploadURLExternal and files.completeUploadExternal as Slack answers them, for the
 * three steps of `files.uploadV2`: (1) ask for an upload URL per file, (2) POST the bytes there,
 * (3) complete with the channel, which shares the file there.
 */
export function handleFilesApi(
  ws: WorkspaceState,
  uploads: Map<string, StandinUpload>,
  base: string,
  method: string,
  a: Record<string, any>,
): Result | undefined {
  if (method === 'files.getUploadURLExternal') {
    const length = Number(a.length);
    if (!a.filename || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
    const id = `F${String(uploads.size + 1).padStart(9, '0')}`;
    uploads.set(id, { id, filename: String(a.filename), length, ...(a.alt_text ? { altText: String(a.alt_text) } : {}), completed: false });
    return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
  }
  if (method === 'files.completeUploadExternal') {
    let files: { id: string; title?: string }[];
    try {
      files = typeof a.files === 'string' ? JSON.parse(a.files) : a.files;
    } catch {
      return { ok: false, error: 'invalid_arguments' };
    }
    if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
    const found = files.map((f) => uploads.get(f.id));
    if (found.some((u) => !u?.bytes)) return { ok: false, error: 'file_not_found' };
    const channel = a.channel_id ? ws.channelId(String(a.channel_id)) : undefined;
    for (const [i, u] of found.entries()) {
      Object.assign(u!, {
        completed: true,
        ...(a.thread_ts ? { threadTs: String(a.thread_ts) } : {}),
        title: files[i]!.title ?? u!.filename,
        ...(channel ? { channel } : {}),
        ...(a.initial_comment ? { initialComment: String(a.initial_comment) } : {}),
      });
    }
    if (channel) {
      ws.messages.push({
        ts: ws.nextTs(),
        channel,
        text: String(a.initial_comment ?? ''),
        user: 'UBOT',
        ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
        files: found.map((u) => ({ id: u!.id, name: u!.filename, title: u!.title, alt_text: u!.altText })),
      } as never);
    }
    return { ok: true, files: found.map((u) => ({ id: u!.id, title: u!.title })) };
  }
  return undefined;
}

/** Step 2: the bytes, as the SDK posts them (multipart/form-data, one file field). */
export async function receiveUpload(
  uploads: Map<string, StandinUpload>,
  id: string,
  body: Buffer,
  contentType: string | undefined,
): Promise<{ status: number; text: string }> {
  const u = uploads.get(id);
  if (!u) return { status: 404, text: 'unknown upload' };
  let bytes = body;
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    const file = [...form.values()].find((v) => typeof v !== 'string') as Blob | undefined;
    if (!file) return { status: 400, text: 'no file in the form' };
    bytes = Buffer.from(await file.arrayBuffer());
  }
  if (bytes.length !== u.length) return { status: 400, text: `length ${bytes.length} is not the announced ${u.length}` };
  u.bytes = bytes;
  return { status: 200, text: `OK - ${bytes.length}` };
}
