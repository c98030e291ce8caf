// The public surface of @supaops/s3-server (private test tooling). Named exports only.
export { decodeAwsChunked } from './aws-chunked.js';
export { S3ServerError } from './errors.js';
export {
  type S3Server,
  type S3ServerOptions,
  type S3ServerStats,
  type StoredObject,
  startS3Server,
} from './server.js';
