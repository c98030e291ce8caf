import { type Check, type CheckContext, isLocalHost, readersOf, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

const PUBLIC_URLS = ['SUPABASE_PUBLIC_URL', 'API_EXTERNAL_URL'] as const;

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function scheme(url: URL): 'http' | 'https' {
  return url.protocol === 'https:' ? 'https' : 'http';
}

/** The scheme the instance is served with: the domain's, else the public URL's. */
function servedScheme(ctx: CheckContext, publicUrl: URL | undefined): 'http' | 'https' | undefined {
  if (ctx.domain) return ctx.domain.https ? 'https' : 'http';
  return publicUrl ? scheme(publicUrl) : undefined;
}

function publicUrlFindings(ctx: CheckContext, name: string, url: URL): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const services = readersOf(ctx, name);
  const at = { variable: name, services };
  const domain = ctx.domain;
  if (domain) {
    if (url.hostname.toLowerCase() !== domain.host.toLowerCase()) {
      out.push(
        finding(
          'PUBLIC_URL_HOST_MISMATCH',
          `${name} is ${url.origin}, but the gateway's Dokploy domain is ${domain.host}: browsers and mail links go to a host that does not route to this instance.`,
          at,
        ),
      );
    }
    if (scheme(url) === 'http' && domain.https) {
      out.push(
        finding(
          'PUBLIC_URL_HTTP_ON_HTTPS_DOMAIN',
          `${name} is ${url.origin} while ${domain.host} is served over https: Auth builds http links and redirects, and browsers block Studio's http calls from an https page.`,
          at,
        ),
      );
    } else if (scheme(url) === 'https' && !domain.https) {
      out.push(
        finding(
          'PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN',
          `${name} is ${url.origin} but the Dokploy domain ${domain.host} has https off (certificateType ${domain.certificateType ?? 'none'}): nothing answers on https, so Studio's browser calls and Auth's links fail.`,
          at,
        ),
      );
    }
  } else if (scheme(url) === 'http') {
    const where = isLocalHost(url.hostname)
      ? ' (a local address: only this machine can reach it)'
      : ': keys, passwords and sessions cross the network unencrypted, and an https domain in front would make Auth build wrong links';
    out.push(finding('PUBLIC_URL_HTTP', `${name} is ${url.origin}, plain http${where}.`, at));
  }
  return out;
}

function apiExternalUrlForm(ctx: CheckContext, raw: string, url: URL): DoctorFinding[] {
  const at = { variable: 'API_EXTERNAL_URL', services: readersOf(ctx, 'API_EXTERNAL_URL') };
  if (
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    raw.includes('?') ||
    raw.includes('#')
  ) {
    return [
      finding(
        'API_EXTERNAL_URL_MALFORMED',
        'API_EXTERNAL_URL carries credentials, a query or a fragment; Auth appends paths to it verbatim.',
        at,
      ),
    ];
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && path !== '/auth/v1') {
    return [
      finding(
        'API_EXTERNAL_URL_PATH',
        `API_EXTERNAL_URL has the path ${url.pathname}: OAuth callbacks and email links would point under it, where the gateway routes nothing to Auth.`,
        at,
      ),
    ];
  }
  if (raw.endsWith('/')) {
    return [
      finding(
        'API_EXTERNAL_URL_TRAILING_SLASH',
        `API_EXTERNAL_URL ends with "/": Auth builds ${raw}/callback, a double slash some OAuth providers reject as a redirect URI mismatch.`,
        at,
      ),
    ];
  }
  return [];
}

function siteUrlFindings(ctx: CheckContext, publicUrl: URL | undefined): DoctorFinding[] {
  const raw = setValue(ctx, 'SITE_URL');
  if (raw === undefined) return [];
  const at = { variable: 'SITE_URL', services: readersOf(ctx, 'SITE_URL') };
  const url = parseHttpUrl(raw);
  if (!url) {
    return [finding('URL_INVALID', 'SITE_URL is not an absolute http(s) URL.', at)];
  }
  const publicHost = ctx.domain?.host ?? publicUrl?.hostname;
  const publicIsRemote = publicHost !== undefined && !isLocalHost(publicHost);
  if (publicIsRemote && isLocalHost(url.hostname)) {
    return [
      finding(
        'SITE_URL_LOCALHOST',
        `SITE_URL is ${url.origin} while the instance is served at ${publicHost}: confirmation and recovery mails and OAuth sign-ins redirect users to their own machine.`,
        at,
      ),
    ];
  }
  if (publicIsRemote && scheme(url) === 'http' && servedScheme(ctx, publicUrl) === 'https') {
    return [
      finding(
        'SITE_URL_SCHEME_MISMATCH',
        `SITE_URL is ${url.origin} (http) while the instance is served over https.`,
        at,
      ),
    ];
  }
  return [];
}

const CUSTOM_OR_HTTP = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

function redirectFindings(ctx: CheckContext, publicUrl: URL | undefined): DoctorFinding[] {
  const raw = setValue(ctx, 'ADDITIONAL_REDIRECT_URLS');
  if (raw === undefined) return [];
  const at = {
    variable: 'ADDITIONAL_REDIRECT_URLS',
    services: readersOf(ctx, 'ADDITIONAL_REDIRECT_URLS'),
  };
  const out: DoctorFinding[] = [];
  const publicHost = (ctx.domain?.host ?? publicUrl?.hostname)?.toLowerCase();
  const served = servedScheme(ctx, publicUrl);
  const local: string[] = [];
  for (const entry of raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    let url: URL | undefined;
    try {
      // Auth matches the entries as globs; * and ** are not URL syntax
      url = CUSTOM_OR_HTTP.test(entry) ? new URL(entry.replaceAll('*', 'x')) : undefined;
    } catch {
      url = undefined;
    }
    if (!url) {
      out.push(
        finding(
          'REDIRECT_URL_INVALID',
          `ADDITIONAL_REDIRECT_URLS lists "${entry}", which is not an absolute URL with a scheme: Auth never matches it.`,
          at,
        ),
      );
      continue;
    }
    const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
    if (isHttp && isLocalHost(url.hostname)) local.push(entry);
    if (
      isHttp &&
      publicHost !== undefined &&
      served !== undefined &&
      url.hostname.toLowerCase() === publicHost &&
      scheme(url) !== served
    ) {
      out.push(
        finding(
          'REDIRECT_URL_SCHEME_MISMATCH',
          `ADDITIONAL_REDIRECT_URLS allows ${entry}, but ${publicHost} is served over ${served}: redirects to it are refused as not allowed.`,
          at,
        ),
      );
    }
  }
  if (local.length > 0 && publicHost !== undefined && !isLocalHost(publicHost)) {
    out.push(
      finding(
        'REDIRECT_URLS_LOCALHOST',
        `ADDITIONAL_REDIRECT_URLS allows ${local.join(', ')} on an instance served at ${publicHost}.`,
        at,
      ),
    );
  }
  return out;
}

/**
 * Public URLs against the domain (http where https is served and the reverse, the host), the
 * form of API_EXTERNAL_URL, SITE_URL and ADDITIONAL_REDIRECT_URLS against the domain.
 */
export const checkUrls: Check = (ctx) => {
  const out: DoctorFinding[] = [];
  const parsed = new Map<string, URL>();
  for (const name of PUBLIC_URLS) {
    const raw = setValue(ctx, name);
    if (raw === undefined) continue;
    const url = parseHttpUrl(raw);
    if (!url) {
      out.push(
        finding('URL_INVALID', `${name} is not an absolute http(s) URL.`, {
          variable: name,
          services: readersOf(ctx, name),
        }),
      );
      continue;
    }
    parsed.set(name, url);
    out.push(...publicUrlFindings(ctx, name, url));
    if (name === 'API_EXTERNAL_URL') out.push(...apiExternalUrlForm(ctx, raw, url));
  }
  const pub = parsed.get('SUPABASE_PUBLIC_URL');
  const api = parsed.get('API_EXTERNAL_URL');
  if (pub && api && pub.origin !== api.origin) {
    out.push(
      finding(
        'PUBLIC_URLS_DISAGREE',
        `SUPABASE_PUBLIC_URL is ${pub.origin} but API_EXTERNAL_URL is ${api.origin}.`,
        { variable: 'API_EXTERNAL_URL', services: readersOf(ctx, 'API_EXTERNAL_URL') },
      ),
    );
  }
  const publicUrl = pub ?? api;
  out.push(...siteUrlFindings(ctx, publicUrl), ...redirectFindings(ctx, publicUrl));
  return out;
};
