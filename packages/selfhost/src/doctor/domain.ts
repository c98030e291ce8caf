import type { Check } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

function hostProblem(host: string): string | undefined {
  if (host.includes('_')) return 'contains "_"';
  const labels = host.replace(/\.$/, '').split('.');
  const long = labels.find((label) => label.length > 63);
  if (long) return `has a label of ${long.length} characters (at most 63)`;
  if (!labels.every((label) => LABEL.test(label)))
    return 'has a label with characters outside letters, digits and -';
  return undefined;
}

/** The compose's Dokploy domains: one routes to the gateway, each to a real service, valid hosts. */
export const checkDomains: Check = (ctx) => {
  if (ctx.domains === undefined) return [];
  const out: DoctorFinding[] = [];
  if (ctx.domains.length === 0) {
    out.push(
      finding(
        'DOMAIN_MISSING',
        'The compose has no Dokploy domain: Traefik routes nothing to the gateway, so the API and Studio are unreachable from outside.',
      ),
    );
  }
  for (const domain of ctx.domains) {
    if (ctx.stackKnown && domain.serviceName && !ctx.stack.has(domain.serviceName)) {
      out.push(
        finding(
          'DOMAIN_SERVICE_MISSING',
          `The domain ${domain.host} routes to the service "${domain.serviceName}", which the compose does not have (the deploy fails with "Domain … is attached to service … which does not exist").`,
        ),
      );
    }
    const problem = hostProblem(domain.host);
    if (problem) {
      out.push(finding('DOMAIN_HOST_INVALID', `The domain host ${domain.host} ${problem}.`));
    }
  }
  return out;
};
