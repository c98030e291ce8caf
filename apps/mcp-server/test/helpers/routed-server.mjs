// The built server (dist/index.js) over this process's stdio, as dist/bin.js runs it, with one
// difference for the tests: its post-deploy checks of https://<domain> go to the test's router
// (T_ROUTER_URL, test/helpers/router.ts), which plays Traefik in front of the gateway simulators.
import { runMcpServer } from '../../dist/index.js';

const router = process.env.T_ROUTER_URL;
const httpFetch = (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname === '127.0.0.1') return fetch(input, init);
  const headers = new Headers(
    init.headers ?? (input instanceof Request ? input.headers : undefined),
  );
  headers.set('x-supaops-route-host', url.host);
  headers.set('x-supaops-route-proto', url.protocol);
  return fetch(`${router}${url.pathname}${url.search}`, { ...init, headers });
};

const running = await runMcpServer({
  transport: 'stdio',
  selfhost: { httpFetch, deployPollMs: 5, validateAttempts: 2, validateRetryMs: 5 },
});
await running?.done;
process.exit(0);
