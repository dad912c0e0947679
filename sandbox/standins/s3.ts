import { sigV4AccessKey, startStandin, type RecordedRequest, type Reply, type Standin, type StandinHooks } from './server';

/**
 * S3 with path-style addressing (what the SDK sends when `forcePathStyle` is on):
 * `GET /{bucket}?list-type=2&prefix=…&continuation-token=…` answers a ListBucketResult XML,
 * `HEAD /{bucket}/{key}` answers with the object's headers only.
 */
export interface StandinObject {
  key: string;
  size: number;
  lastModified: Date;
  /** x-amz-server-side-encryption: 'AES256' | 'aws:kms' | undefined (unencrypted). */
  sse?: string;
}

export interface S3State {
  buckets?: Record<string, StandinObject[]>;
  /** ListObjectsV2 page size cap (the real one is 1000). */
  pageSize?: number;
  /** When set, requests signed with another access key get 403 InvalidAccessKeyId. */
  accessKeyId?: string;
}

export interface S3Standin extends Standin {
  state: S3State;
  put(bucket: string, obj: StandinObject): void;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function s3Error(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'standin' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>standin</RequestId></Error>`,
  };
}

function listObjects(state: S3State, bucket: string, req: RecordedRequest): Reply {
  const objects = state.buckets?.[bucket];
  if (!objects) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
  const prefix = req.query.get('prefix') ?? '';
  const maxKeys = Math.min(Number(req.query.get('max-keys') ?? 1000), state.pageSize ?? 1000);
  const matching = objects.filter((o) => o.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
  const token = req.query.get('continuation-token');
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  const page = matching.slice(start, start + maxKeys);
  const truncated = start + maxKeys < matching.length;
  const next = truncated ? Buffer.from(String(start + maxKeys)).toString('base64') : undefined;
  const contents = page
    .map(
      (o) =>
        `<Contents><Key>${xmlEscape(o.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
        `<ETag>&quot;${o.size.toString(16)}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
    `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
    (token ? `<ContinuationToken>${token}</ContinuationToken>` : '') +
    (next ? `<NextContinuationToken>${next}</NextContinuationToken>` : '') +
    `${contents}</ListBucketResult>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

function headObject(state: S3State, bucket: string, key: string): Reply {
  const obj = state.buckets?.[bucket]?.find((o) => o.key === key);
  if (!obj) return { status: 404, headers: { 'x-amz-request-id': 'standin' } };
  return {
    status: 200,
    headers: {
      'content-length': String(obj.size),
      'content-type': 'application/octet-stream',
      'last-modified': obj.lastModified.toUTCString(),
      etag: `"${obj.size.toString(16)}"`,
      ...(obj.sse ? { 'x-amz-server-side-encryption': obj.sse } : {}),
    },
  };
}

/** Request handling without a server, so one endpoint can serve several AWS services (see aws.ts). */
export function s3Hooks(state: S3State): StandinHooks {
  return {
    handle(req) {
      if (state.accessKeyId && sigV4AccessKey(req.headers) !== state.accessKeyId) {
        return req.method === 'HEAD'
          ? { status: 403 }
          : s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
      }
      const [, bucket = '', ...rest] = req.path.split('/');
      const key = rest.join('/');
      if (req.method === 'GET' && !key && req.query.get('list-type') === '2') return listObjects(state, bucket, req);
      if (req.method === 'HEAD' && key) return headObject(state, bucket, key);
      return s3Error(501, 'NotImplemented', `stand-in does not implement ${req.method} ${req.path}`);
    },
    errorReply: (status) =>
      status === 401 || status === 403
        ? s3Error(status, 'AccessDenied', 'Access Denied')
        : s3Error(status, 'InternalError', 'We encountered an internal error. Please try again.'),
    malformedReply: () => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: '<ListBucketResult><Contents><Key>database/' }),
  };
}

export async function startS3Standin(state: S3State = {}): Promise<S3Standin> {
  const base = await startStandin(s3Hooks(state));
  return {
    ...base,
    state,
    put(bucket, obj) {
      state.buckets ??= {};
      (state.buckets[bucket] ??= []).push(obj);
    },
  };
}
