import { describe, expect, it } from 'vitest';
import { CliError, classifyError, splitFix, usageError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';

function libraryError(pkg: string, code: string, message = `failed. Fix: do the thing.`) {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  Object.defineProperty(error, Symbol.for(`supaops.${pkg}.error`), { value: true });
  return error;
}

describe('classifyError', () => {
  it.each([
    ['config', 'INSTANCE_NOT_FOUND', EXIT_CODES.config],
    ['pg-connect', 'AUTHENTICATION_FAILED', EXIT_CODES.connection],
    ['pg-connect', 'CONNECTION_STRING_INVALID', EXIT_CODES.usage],
    ['pg-connect', 'PERMISSION_DENIED', EXIT_CODES.sql],
    ['migrator', 'MIGRATION_FAILED', EXIT_CODES.migration],
    ['migrator', 'MIGRATION_CONNECT_FAILED', EXIT_CODES.connection],
    ['migrator', 'MIGRATOR_INVALID_INPUT', EXIT_CODES.usage],
    ['backup-engine', 'BACKUP_ABORTED', EXIT_CODES.interrupted],
    ['backup-engine', 'BACKUP_VALIDATION_FAILED', EXIT_CODES.usage],
    ['backup-engine', 'BACKUP_STORAGE_FAILED', EXIT_CODES.backup],
    ['sandbox', 'START_FAILED', EXIT_CODES.sandbox],
    ['sandbox', 'VALIDATION_FAILED', EXIT_CODES.usage],
    ['supabase-jwt', 'SUPABASE_JWT_INVALID_INPUT', EXIT_CODES.usage],
    ['supabase-jwt', 'SUPABASE_JWT_SIGNING_FAILED', EXIT_CODES.runtime],
    ['mcp-server', 'MCP_INVALID_OPTIONS', EXIT_CODES.usage],
    ['mcp-server', 'MCP_HTTP_START_FAILED', EXIT_CODES.runtime],
    ['spill-buffer', 'SPILL_WRITE_FAILED', EXIT_CODES.runtime],
  ])('%s %s → exit %i', (pkg, code, exitCode) => {
    const classified = classifyError(libraryError(pkg, code));
    expect(classified).toEqual({ exitCode, code, message: 'failed.', fix: 'do the thing.' });
  });

  it('SIGINT wins over any classification', () => {
    expect(classifyError(libraryError('pg-connect', 'QUERY_CANCELED'), true).exitCode).toBe(130);
    expect(classifyError(new CliError('X', 'y'), true).exitCode).toBe(130);
    expect(classifyError('text', true).exitCode).toBe(130);
  });

  it('CLI errors keep their code, exit code and fix; unknown values are runtime failures', () => {
    expect(classifyError(usageError('BAD', 'Bad input.', 'Do this.'))).toEqual({
      exitCode: 2,
      code: 'BAD',
      message: 'Bad input.',
      fix: 'Do this.',
    });
    expect(classifyError(new CliError('C', 'It broke. Fix: retry.'))).toEqual({
      exitCode: 3,
      code: 'C',
      message: 'It broke.',
      fix: 'retry.',
    });
    expect(classifyError(new Error('plain'))).toEqual({
      exitCode: 3,
      code: 'UNEXPECTED',
      message: 'plain',
    });
    expect(classifyError(42)).toEqual({ exitCode: 3, code: 'UNEXPECTED', message: '42' });
    expect(CliError.isInstance(new Error('x'))).toBe(false);
  });
});

describe('splitFix', () => {
  it('splits "… Fix: …" and leaves other messages alone', () => {
    expect(splitFix('Wrong. Fix: right.')).toEqual({ message: 'Wrong.', fix: 'right.' });
    expect(splitFix('Wrong.\nFix: right.')).toEqual({ message: 'Wrong.', fix: 'right.' });
    expect(splitFix('No fix here')).toEqual({ message: 'No fix here' });
    expect(splitFix('Prefix: not a fix')).toEqual({ message: 'Prefix: not a fix' });
  });
});
