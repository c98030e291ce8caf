/** A request as an upstream service receives it from Kong (prefix stripped, headers rewritten). */
export interface ServiceRequest {
  method: string;
  /** The upstream path, e.g. `/health` for `/auth/v1/health`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names; `authorization` is the value after Kong's request-transformer. */
  headers: Record<string, string | undefined>;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The role the service acted as (for the request log), when it got that far. */
  role?: string;
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): ServiceResponse {
  return {
    status,
    headers: { 'content-type': contentType, ...headers },
    body: JSON.stringify(value),
  };
}

/** An upstream path the simulator does not model (the README lists what it does). */
export function notSimulated(): ServiceResponse {
  return {
    status: 404,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-supabase-gateway-simulator': 'not-simulated',
    },
    body: JSON.stringify({ message: 'no Route matched with those values' }),
  };
}
