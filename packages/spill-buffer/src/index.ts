// The public surface of @supaops/spill-buffer. Named exports only: anything added here is public API.
export {
  SpillBufferError,
  type SpillBufferErrorCode,
  SpillDiskFullError,
  SpillIoError,
  SpillPermissionError,
} from './errors.js';
export { DEFAULT_THRESHOLD, type SpillOptions } from './options.js';
export { type PageRequest, RecordLog } from './record-log.js';
export { SpillBuffer } from './spill-buffer.js';
export { sweepStaleSpillDirs } from './temp-files.js';
