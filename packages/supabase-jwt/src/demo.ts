/**
 * Public demo values that ship with Supabase. Anyone can forge a service-role token with
 * these secrets, so a deployment using any of them is open.
 *
 * Source: `supabase/supabase:docker/.env.example` (also the Dokploy `pre0.22.5-supabase`
 * blueprint, "Bug C"), and the Supabase CLI's local-development defaults.
 */

/** `JWT_SECRET` of `docker/.env.example`. */
export const DEMO_JWT_SECRET = 'your-super-secret-jwt-token-with-at-least-32-characters-long';

/** `ANON_KEY` of `docker/.env.example` (`iss: "supabase-demo"`, expires 2027-01-09). */
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE';

/** `SERVICE_ROLE_KEY` of `docker/.env.example`. */
export const DEMO_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJzZXJ2aWNlX3JvbGUiLAogICAgImlzcyI6ICJzdXBhYmFzZS1kZW1vIiwKICAgICJpYXQiOiAxNjQxNzY5MjAwLAogICAgImV4cCI6IDE3OTk1MzU2MDAKfQ.DaYlNEoUrrEn2Ig7tqibS-PHK5vgusbcbo7X36XVt4Q';

/** The JWT secret of the Supabase CLI's local stack (and of many tutorials). */
export const CLI_DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** Every public secret known to sign demo keys. */
export const DEMO_JWT_SECRETS: readonly string[] = [DEMO_JWT_SECRET, CLI_DEMO_JWT_SECRET];

/** Every public demo API key known verbatim. */
export const DEMO_API_KEYS: readonly string[] = [DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY];

/** The issuer the demo keys carry. */
export const DEMO_ISSUER = 'supabase-demo';
