import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { decodeAwsChunked } from './aws-chunked.js';
import { S3ServerError } from './errors.js';
import { escapeXml, xmlDocument } from './xml.js';

export interface S3ServerOptions {
  /** Access key id that every request's Authorization header must name. Random when absent. */
  accessKeyId?: string;
  /** Returned to the caller for SDK configuration; signatures are not verified. */
  secretAccessKey?: string;
  region?: string;
  /** Buckets created at start. */
  buckets?: string[];
  /** Smallest part allowed for every part but the last (S3: 5 MiB). */
  minPartSize?: number;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Delay before answering each UploadPart, to simulate a slow link (tests of aborts and kills). */
  partLatencyMs?: number;
}

export interface S3ServerStats {
  requests: number;
  multipartStarted: number;
  multipartCompleted: number;
  multipartAborted: number;
  partsUploaded: number;
  putObjects: number;
  /** Requests refused because the Authorization header was missing or named another key. */
  rejectedAuth: number;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
}

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stats: S3ServerStats;
  /** Direct view of the stored objects (tests may inspect or corrupt them). */
  buckets: Map<string, Map<string, StoredObject>>;
  /** Multipart uploads still in progress, by upload id. */
  pendingUploads(): { bucket: string; key: string; uploadId: string; initiated: Date }[];
  stop(): Promise<void>;
}

interface Upload {
  bucket: string;
  key: string;
  uploadId: string;
  initiated: Date;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

const optionsSchema = z.object({
  accessKeyId: z
    .string()
    .regex(/^[A-Za-z0-9]{4,128}$/)
    .optional(),
  secretAccessKey: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)).optional(),
  minPartSize: z.number().int().nonnegative().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  partLatencyMs: z.number().int().min(0).max(60_000).optional(),
});

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly s3Code: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readPayload(req: IncomingMessage): Promise<Buffer> {
  const raw = await readBody(req);
  const sha = String(req.headers['x-amz-content-sha256'] ?? '');
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (sha.startsWith('STREAMING-') || encoding.split(',').includes('aws-chunked')) {
    try {
      return decodeAwsChunked(raw);
    } catch (error) {
      throw new HttpError(400, 'IncompleteBody', (error as Error).message);
    }
  }
  return raw;
}

/**
 * Starts a loopback S3-compatible server for tests: path-style addressing, objects in memory,
 * the operations the AWS SDK v3 and `@aws-sdk/lib-storage` use for uploads, downloads, listing
 * and multipart (including ListMultipartUploads so tests can prove that aborts leave nothing).
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new S3ServerError(
      'S3_SERVER_OPTIONS_INVALID',
      `Invalid startS3Server options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. Fix: pass alphanumeric access keys and DNS-style bucket names.`,
      { cause: parsed.error },
    );
  }
  const accessKeyId = options.accessKeyId ?? `TEST${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = options.secretAccessKey ?? randomBytes(20).toString('base64url');
  const region = options.region ?? 'us-east-1';
  const minPartSize = options.minPartSize ?? 5 * 1024 * 1024;
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const name of options.buckets ?? []) buckets.set(name, new Map());
  const uploads = new Map<string, Upload>();
  const stats: S3ServerStats = {
    requests: 0,
    multipartStarted: 0,
    multipartCompleted: 0,
    multipartAborted: 0,
    partsUploaded: 0,
    putObjects: 0,
    rejectedAuth: 0,
  };

  const bucketOf = (name: string) => {
    const bucket = buckets.get(name);
    if (!bucket) throw new HttpError(404, 'NoSuchBucket', `The bucket ${name} does not exist`);
    return bucket;
  };
  const uploadOf = (uploadId: string, bucket: string, key: string) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) {
      throw new HttpError(404, 'NoSuchUpload', `The upload ${uploadId} does not exist`);
    }
    return upload;
  };

  const send = (
    res: ServerResponse,
    status: number,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    res.writeHead(status, {
      'x-amz-request-id': randomBytes(8).toString('hex'),
      ...(payload && !headers['content-type'] ? { 'content-type': 'application/xml' } : {}),
      ...headers,
      ...(payload ? { 'content-length': String(payload.length) } : {}),
    });
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const auth = String(req.headers.authorization ?? '');
    const credential = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
    if (!auth.startsWith('AWS4-HMAC-SHA256') || credential !== accessKeyId) {
      stats.rejectedAuth++;
      throw new HttpError(
        403,
        credential ? 'InvalidAccessKeyId' : 'AccessDenied',
        'The Authorization header is missing or names an unknown access key id',
      );
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').slice(1);
    const bucketName = decodeURIComponent(segments[0] ?? '');
    const key = segments.slice(1).map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    if (!bucketName) {
      if (method === 'GET') {
        const list = [...buckets.keys()]
          .map((b) => `<Bucket><Name>${escapeXml(b)}</Name></Bucket>`)
          .join('');
        return send(res, 200, xmlDocument('ListAllMyBucketsResult', `<Buckets>${list}</Buckets>`));
      }
      throw new HttpError(405, 'MethodNotAllowed', `${method} / is not supported`);
    }

    if (!key) {
      if (method === 'PUT') {
        await readBody(req);
        if (buckets.has(bucketName)) {
          throw new HttpError(409, 'BucketAlreadyOwnedByYou', `Bucket ${bucketName} exists`);
        }
        buckets.set(bucketName, new Map());
        return send(res, 200, undefined, { location: `/${bucketName}` });
      }
      if (method === 'HEAD') {
        bucketOf(bucketName);
        return send(res, 200);
      }
      if (method === 'DELETE') {
        const bucket = bucketOf(bucketName);
        if (bucket.size > 0) throw new HttpError(409, 'BucketNotEmpty', 'The bucket is not empty');
        buckets.delete(bucketName);
        return send(res, 204);
      }
      if (method === 'GET' && q.has('uploads')) {
        bucketOf(bucketName);
        const prefix = q.get('prefix') ?? '';
        const items = [...uploads.values()]
          .filter((u) => u.bucket === bucketName && u.key.startsWith(prefix))
          .sort((a, b) => a.key.localeCompare(b.key))
          .map(
            (u) =>
              `<Upload><Key>${escapeXml(u.key)}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
          )
          .join('');
        return send(
          res,
          200,
          xmlDocument(
            'ListMultipartUploadsResult',
            `<Bucket>${escapeXml(bucketName)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}`,
          ),
        );
      }
      if (method === 'GET') {
        const bucket = bucketOf(bucketName);
        const prefix = q.get('prefix') ?? '';
        const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000) || 1000, 1000);
        const token = q.get('continuation-token');
        const startAfter = token
          ? Buffer.from(token, 'base64url').toString('utf8')
          : (q.get('start-after') ?? '');
        const keys = [...bucket.keys()]
          .filter((k) => k.startsWith(prefix) && k > startAfter)
          .sort();
        const page = keys.slice(0, maxKeys);
        const truncated = keys.length > page.length;
        const contents = page
          .map((k) => {
            const o = bucket.get(k)!;
            return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        const next = truncated
          ? `<NextContinuationToken>${Buffer.from(page.at(-1)!, 'utf8').toString('base64url')}</NextContinuationToken>`
          : '';
        return send(
          res,
          200,
          xmlDocument(
            'ListBucketResult',
            `<Name>${escapeXml(bucketName)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : ''}${contents}${next}`,
          ),
        );
      }
      throw new HttpError(405, 'MethodNotAllowed', `${method} on a bucket is not supported`);
    }

    const bucket = bucketOf(bucketName);
    if (method === 'PUT' && q.has('uploadId')) {
      const upload = uploadOf(q.get('uploadId')!, bucketName, key);
      const partNumber = Number(q.get('partNumber'));
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
        throw new HttpError(400, 'InvalidArgument', 'partNumber must be 1..10000');
      }
      const body = await readPayload(req);
      if (options.partLatencyMs) {
        await new Promise((resolve) => setTimeout(resolve, options.partLatencyMs));
      }
      if (!uploads.has(upload.uploadId)) {
        throw new HttpError(404, 'NoSuchUpload', `The upload ${upload.uploadId} was aborted`);
      }
      const etag = md5(body);
      upload.parts.set(partNumber, { body, etag });
      stats.partsUploaded++;
      return send(res, 200, undefined, { etag: `"${etag}"` });
    }
    if (method === 'PUT') {
      const body = await readPayload(req);
      const etag = md5(body);
      bucket.set(key, {
        body,
        etag,
        lastModified: new Date(),
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
      });
      stats.putObjects++;
      return send(res, 200, undefined, { etag: `"${etag}"` });
    }
    if (method === 'POST' && q.has('uploads')) {
      await readBody(req);
      const uploadId = randomBytes(16).toString('hex');
      uploads.set(uploadId, {
        bucket: bucketName,
        key,
        uploadId,
        initiated: new Date(),
        contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
        parts: new Map(),
      });
      stats.multipartStarted++;
      return send(
        res,
        200,
        xmlDocument(
          'InitiateMultipartUploadResult',
          `<Bucket>${escapeXml(bucketName)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId>`,
        ),
      );
    }
    if (method === 'POST' && q.has('uploadId')) {
      const upload = uploadOf(q.get('uploadId')!, bucketName, key);
      const xml = (await readBody(req)).toString('utf8');
      const requested = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
        etag: (/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? '').replaceAll(/&quot;|"/g, ''),
      }));
      if (requested.length === 0) {
        throw new HttpError(400, 'MalformedXML', 'CompleteMultipartUpload lists no parts');
      }
      const bodies: Buffer[] = [];
      let previous = 0;
      for (const part of requested) {
        if (part.number <= previous) {
          throw new HttpError(400, 'InvalidPartOrder', 'Parts must be listed in ascending order');
        }
        previous = part.number;
      }
      for (const [index, part] of requested.entries()) {
        const stored = upload.parts.get(part.number);
        if (!stored || stored.etag !== part.etag) {
          throw new HttpError(
            400,
            'InvalidPart',
            `Part ${part.number} is missing or its ETag differs`,
          );
        }
        if (index < requested.length - 1 && stored.body.length < minPartSize) {
          throw new HttpError(
            400,
            'EntityTooSmall',
            `Part ${part.number} is below ${minPartSize} bytes`,
          );
        }
        bodies.push(stored.body);
      }
      const body = Buffer.concat(bodies);
      const etag = `${md5(Buffer.from(requested.map((p) => upload.parts.get(p.number)!.etag).join(''), 'hex'))}-${requested.length}`;
      bucket.set(key, { body, etag, lastModified: new Date(), contentType: upload.contentType });
      uploads.delete(upload.uploadId);
      stats.multipartCompleted++;
      return send(
        res,
        200,
        xmlDocument(
          'CompleteMultipartUploadResult',
          `<Location>/${escapeXml(bucketName)}/${escapeXml(key)}</Location><Bucket>${escapeXml(bucketName)}</Bucket><Key>${escapeXml(key)}</Key><ETag>&quot;${etag}&quot;</ETag>`,
        ),
      );
    }
    if (method === 'DELETE' && q.has('uploadId')) {
      const upload = uploadOf(q.get('uploadId')!, bucketName, key);
      uploads.delete(upload.uploadId);
      stats.multipartAborted++;
      return send(res, 204);
    }
    if (method === 'DELETE') {
      bucket.delete(key);
      return send(res, 204);
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = bucket.get(key);
      if (!object) throw new HttpError(404, 'NoSuchKey', `The key ${key} does not exist`);
      const headers: Record<string, string> = {
        etag: `"${object.etag}"`,
        'last-modified': object.lastModified.toUTCString(),
        'content-type': object.contentType,
        'accept-ranges': 'bytes',
      };
      let body = object.body;
      let status = 200;
      const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
      if (range && (range[1] || range[2])) {
        const size = object.body.length;
        let start: number;
        let end: number;
        if (range[1]) {
          start = Number(range[1]);
          end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        } else {
          start = Math.max(0, size - Number(range[2]));
          end = size - 1;
        }
        if (start >= size || start > end) {
          throw new HttpError(416, 'InvalidRange', 'The requested range is not satisfiable');
        }
        body = object.body.subarray(start, end + 1);
        status = 206;
        headers['content-range'] = `bytes ${start}-${end}/${size}`;
      }
      if (method === 'HEAD') {
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        res.end();
        return;
      }
      return send(res, status, body, headers);
    }
    throw new HttpError(405, 'MethodNotAllowed', `${method} on an object is not supported`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const http =
        error instanceof HttpError
          ? error
          : new HttpError(500, 'InternalError', (error as Error).message);
      req.resume();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(http.status);
        res.end();
        return;
      }
      send(
        res,
        http.status,
        xmlDocument(
          'Error',
          `<Code>${http.s3Code}</Code><Message>${escapeXml(http.message)}</Message>`,
          false,
        ),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    throw new S3ServerError(
      'S3_SERVER_LISTEN_FAILED',
      `Could not listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}. Fix: pass port 0 to pick a free port.`,
      { cause: error },
    );
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    region,
    stats,
    buckets,
    pendingUploads: () =>
      [...uploads.values()].map(({ bucket, key, uploadId, initiated }) => ({
        bucket,
        key,
        uploadId,
        initiated,
      })),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
