import { describe, expect, it } from 'vitest';
import { failureReason } from './wait-for-deployment.js';

describe('failureReason', () => {
  it('takes the lines before Dokploy\'s generic "Error occurred ❌" trailer', () => {
    const log = [
      'Initializing deployment of app',
      'docker compose -p app up -d',
      'dependency failed to start: container app-db-1 is unhealthy',
      '',
      'Error occurred ❌, check the logs for details.',
    ].join('\n');
    expect(failureReason(log)).toBe(
      'Initializing deployment of app | docker compose -p app up -d | dependency failed to start: container app-db-1 is unhealthy',
    );
    expect(failureReason('one\r\ntwo')).toBe('one | two');
    expect(failureReason('\n\n')).toBeUndefined();
  });
});
