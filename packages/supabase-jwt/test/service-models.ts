/**
 * How the services judge the time and audience claims of an API key, modelled from their sources
 * (independently of the package) so tests can compare diagnoseKeys with them. `now` is in Unix
 * seconds; each function answers whether that service refuses the claims.
 */

type Claims = Record<string, unknown>;

const INT64 = 2 ** 63;

/**
 * PostgREST 13+, `src/library/PostgREST/Auth/Jwt.hs` (`checkForErrors`): exp, nbf and iat must be
 * JSON numbers when present (null counts as absent); `Sci.toBoundedInteger` makes fractions and
 * values outside Int64 into 0; 30 s skew; aud a string or an array of strings.
 */
export function postgrestRejects(claims: Claims, now: number): boolean {
  const skew = 30;
  const toInt = (value: number) =>
    Number.isInteger(value) && value >= -INT64 && value < INT64 ? value : 0;
  const read = (name: string): number | 'absent' | 'invalid' => {
    const value = claims[name];
    if (value === undefined || value === null) return 'absent';
    return typeof value === 'number' ? toInt(value) : 'invalid';
  };
  const exp = read('exp');
  const nbf = read('nbf');
  const iat = read('iat');
  if (exp === 'invalid' || nbf === 'invalid' || iat === 'invalid') return true;
  if (exp !== 'absent' && now - skew > exp) return true;
  if (nbf !== 'absent' && now + skew < nbf) return true;
  if (iat !== 'absent' && now + skew < iat) return true;
  return !audReadable(claims.aud);
}

/**
 * GoTrue, `internal/api/auth.go` with golang-jwt v5 defaults: NumericDate is a float truncated to
 * whole seconds, converted through int64 (overflowing to the past on amd64); no leeway; exp
 * valid while now < exp, nbf once now >= nbf; iat is not checked; aud as `ClaimStrings`; role
 * must be a string (`AccessTokenClaims`).
 */
export function gotrueRejects(claims: Claims, now: number): boolean {
  const read = (name: string): number | 'absent' | 'invalid' => {
    const value = claims[name];
    if (value === undefined || value === null) return 'absent';
    if (typeof value !== 'number') return 'invalid';
    return Math.abs(value) >= INT64 ? -INT64 : Math.floor(value);
  };
  const exp = read('exp');
  const nbf = read('nbf');
  const iat = read('iat');
  if (exp === 'invalid' || nbf === 'invalid' || iat === 'invalid') return true;
  if (exp !== 'absent' && !(now < exp)) return true;
  if (nbf !== 'absent' && now < nbf) return true;
  const { role } = claims;
  if (role !== undefined && role !== null && typeof role !== 'string') return true;
  return !audReadable(claims.aud);
}

function audReadable(aud: unknown): boolean {
  return (
    aud === undefined ||
    aud === null ||
    typeof aud === 'string' ||
    (Array.isArray(aud) && aud.every((item) => typeof item === 'string'))
  );
}
