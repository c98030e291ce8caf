import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { HistoryWriteError } from '../workflow-errors.js';

/** What kind of write a history record precedes. */
export type HistoryKind =
  | 'project.create'
  | 'environment.create'
  | 'compose.create'
  | 'compose.env'
  | 'compose.file'
  | 'compose.import'
  | 'domain.create'
  | 'domain.update'
  | 'domain.delete'
  | 'mount.create'
  | 'mount.update'
  | 'compose.deploy';

/** One write, recorded before it is made: enough to undo it. Holds secrets (env text): 0600. */
export interface HistoryRecord {
  readonly id: string;
  readonly at: string;
  readonly kind: HistoryKind;
  readonly composeId?: string;
  /** Who wrote it: `wizard`, `repair`, `rollback`, `operator`, `domains`. */
  readonly actor: string;
  /** For a rollback's own record: the id of the record it undid. */
  readonly rollbackOf?: string;
  /** The value before the write (env text, a domain row), undefined for a create. */
  readonly before?: unknown;
  /** The value about to be written. */
  readonly after?: unknown;
}

export interface HistoryStore {
  readonly dir: string;
  /** Writes the record (mode 0600) and resolves once it is on disk; throws HistoryWriteError. */
  record(entry: Omit<HistoryRecord, 'id' | 'at'>): Promise<HistoryRecord>;
  /** Every record, oldest first. */
  list(): Promise<HistoryRecord[]>;
}

let sequence = 0;

/**
 * A directory of JSON records, one per write, each written before the write it describes.
 * The directory is created with mode 0700 and each file with 0600: records hold env text.
 */
export function createHistoryStore(dir: string): HistoryStore {
  const path = parseInput('createHistoryStore', z.string().min(1), dir);
  return {
    dir: path,
    async record(entry) {
      sequence += 1;
      const at = new Date().toISOString();
      const id = `${at.replace(/[:.]/g, '-')}-${String(sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}`;
      const full: HistoryRecord = { id, at, ...entry };
      try {
        await mkdir(path, { recursive: true, mode: 0o700 });
        const file = join(path, `${id}.json`);
        await writeFile(file, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        await chmod(file, 0o600);
      } catch (cause) {
        throw new HistoryWriteError(path, { cause });
      }
      return full;
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(path);
      } catch {
        return [];
      }
      const out: HistoryRecord[] = [];
      for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
        out.push(JSON.parse(await readFile(join(path, name), 'utf8')) as HistoryRecord);
      }
      return out;
    },
  };
}

/** A file-system-safe path segment of a server or project name (or a URL). */
function safeSegment(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'default'
  );
}

/**
 * The one place both faces keep a Dokploy server's history: `<stateDir>/history/<server>`. Every
 * record names its compose, so one directory per server lets a rollback from either face see the
 * writes of both (the wizard writes before a compose id exists).
 */
export function historyDir(stateDir: string, serverName: string): string {
  const { stateDir: base, serverName: server } = parseInput(
    'historyDir',
    z.object({ stateDir: z.string().min(1), serverName: z.string().min(1) }),
    { stateDir, serverName },
  );
  return join(base, 'history', safeSegment(server));
}

/**
 * The one place both faces keep a wizard run's state: `<stateDir>/wizard/<server>/<project>.json`,
 * so a deploy interrupted in the CLI resumes from the MCP server and the other way round.
 */
export function wizardStatePath(stateDir: string, serverName: string, projectName: string): string {
  const o = parseInput(
    'wizardStatePath',
    z.object({
      stateDir: z.string().min(1),
      serverName: z.string().min(1),
      projectName: z.string().min(1),
    }),
    { stateDir, serverName, projectName },
  );
  return join(
    o.stateDir,
    'wizard',
    safeSegment(o.serverName),
    `${safeSegment(o.projectName)}.json`,
  );
}
