import { describe, expect, it } from 'vitest';
import {
  deniedResource,
  describeDenial,
  isPermissionDenial,
  PROCEDURE_PERMISSIONS,
} from './permissions.js';
import { parseDokployVersion } from './version.js';

describe('permission denials', () => {
  it('tells a procedure denial from the wrapper 401 of a bad key', () => {
    expect(isPermissionDenial(401, undefined, 'Unauthorized')).toBe(false);
    expect(isPermissionDenial(401, 'UNAUTHORIZED', 'UNAUTHORIZED')).toBe(false);
    expect(isPermissionDenial(401, 'UNAUTHORIZED', 'Permission denied')).toBe(true);
    expect(isPermissionDenial(401, 'UNAUTHORIZED', undefined)).toBe(false);
    expect(
      isPermissionDenial(
        400,
        'BAD_REQUEST',
        'Error creating the project: You are not allowed to access resource: project',
      ),
    ).toBe(true);
    expect(isPermissionDenial(400, 'BAD_REQUEST', 'Input validation failed')).toBe(false);
    expect(isPermissionDenial(403, 'FORBIDDEN', 'Permission denied')).toBe(false);
  });

  it('reads the resource better-auth names', () => {
    expect(deniedResource('You are not allowed to access resource: envVars')).toBe('envVars');
    expect(deniedResource('unauthorized to access resource "service"')).toBe('service');
    expect(deniedResource('Permission denied')).toBeUndefined();
  });

  it('names the permission the procedure checks, or the resource when the procedure is not in the table', () => {
    const v = parseDokployVersion('0.30.2');
    expect(
      describeDenial('compose.deploy', 'unauthorized to access resource "deployment"', v)
        .permission,
    ).toBe('deployment:create');
    expect(
      describeDenial('compose.killBuild', 'You are not allowed to access resource: deployment', v)
        .permission,
    ).toBe('deployment:*');
    expect(describeDenial('compose.killBuild', 'Permission denied', v)).toMatchObject({
      permission: undefined,
      explanation: expect.stringMatching(/lacks the permission this procedure checks/),
    });
    expect(
      describeDenial('docker.getConfig', 'Permission denied', undefined).explanation,
    ).not.toMatch(/before v0\.28\.7/);
  });

  it('explains access lists and organization mismatches', () => {
    expect(
      describeDenial('compose.one', "You don't have access to this service", undefined).explanation,
    ).toMatch(/not been given access/);
    expect(
      describeDenial('compose.readLogs', 'You are not authorized to access this compose', undefined)
        .explanation,
    ).toMatch(/another organization/);
  });

  it('covers every procedure with a permission and a legacy hint', () => {
    for (const entry of Object.values(PROCEDURE_PERMISSIONS)) {
      expect(entry.permission).toMatch(/^[a-zA-Z]+:[a-z]+$/);
      expect(entry.legacy.length).toBeGreaterThan(5);
    }
  });
});
