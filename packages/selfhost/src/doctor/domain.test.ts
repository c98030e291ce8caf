import { describe, expect, it } from 'vitest';
import { DOKPLOY_TEMPLATE_SERVICES } from '../env/schema/table.js';
import { composeServiceNames } from './compose-services.js';
import type { CheckContext, DomainInfo } from './context.js';
import { checkDomains } from './domain.js';

function ctx(domains: DomainInfo[] | undefined, stackKnown = true): CheckContext {
  return {
    env: {},
    stack: new Set(DOKPLOY_TEMPLATE_SERVICES),
    stackKnown,
    ...(domains ? { domains } : {}),
    now: new Date(),
    skipped: [],
  };
}

const codes = (c: CheckContext) => checkDomains(c).map((f) => f.code);

describe('checkDomains', () => {
  it('needs one domain; none is DOMAIN_MISSING', () => {
    expect(codes(ctx([]))).toEqual(['DOMAIN_MISSING']);
    expect(codes(ctx([{ host: 'a.example.com', https: true, serviceName: 'kong' }]))).toEqual([]);
    expect(codes(ctx(undefined))).toEqual([]);
  });

  it('refuses a domain routed to a service the compose lacks (kong renamed api-gw)', () => {
    expect(codes(ctx([{ host: 'a.example.com', https: true, serviceName: 'api-gw' }]))).toEqual([
      'DOMAIN_SERVICE_MISSING',
    ]);
    // with the default stack it cannot know
    expect(
      codes(ctx([{ host: 'a.example.com', https: true, serviceName: 'api-gw' }], false)),
    ).toEqual([]);
  });

  it('refuses hosts DNS and Let’s Encrypt refuse', () => {
    for (const host of ['my_app.example.com', `${'a'.repeat(64)}.sslip.io`, 'bad!.example.com']) {
      expect(codes(ctx([{ host, https: false, serviceName: 'kong' }]))).toEqual([
        'DOMAIN_HOST_INVALID',
      ]);
    }
    expect(
      codes(ctx([{ host: `${'a'.repeat(63)}.sslip.io.`, https: false, serviceName: 'kong' }])),
    ).toEqual([]);
  });
});

describe('composeServiceNames', () => {
  it('reads the keys under services:, whatever the indentation, skipping comments', () => {
    const yaml = [
      'name: x',
      'services:',
      '    # a comment',
      '    web:  # inline',
      '        image: nginx',
      '        environment:',
      '            A: 1',
      '    "db":',
      '        image: postgres',
      'volumes:',
      '    data:',
    ].join('\n');
    expect(composeServiceNames(yaml)).toEqual(['web', 'db']);
    expect(composeServiceNames('')).toEqual([]);
  });
});
