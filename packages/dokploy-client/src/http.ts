import axios, { type AxiosInstance, isAxiosError } from 'axios';

/** One HTTP exchange as the transport needs it: the status, the raw text and its type. */
export interface HttpAnswer {
  status: number;
  text: string;
  contentType: string | undefined;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

/**
 * A failed exchange without the request attached. Axios errors carry their config, headers
 * (the API key) included, so they are never chained as a cause; this keeps only the code and
 * the message.
 */
export class HttpFailure extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'HttpFailure';
    this.code = code;
  }
}

function failureOf(error: unknown): HttpFailure {
  if (isAxiosError(error)) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const code =
      typeof cause?.code === 'string'
        ? cause.code
        : typeof error.code === 'string'
          ? error.code
          : undefined;
    const message =
      typeof cause?.message === 'string' && cause.message ? cause.message : error.message;
    return new HttpFailure(message, code);
  }
  return new HttpFailure(error instanceof Error ? error.message : String(error), undefined);
}

/**
 * The transport's HTTP layer: axios, as the project's design names it. Node's http adapter
 * (keep-alive through the global agent) by default; given a `fetch`, axios's fetch adapter
 * runs on it (an undici dispatcher, a proxy, a test double). The body stays raw text both ways,
 * every status resolves (the transport maps them), and no environment proxy is picked up.
 */
export function createHttp(fetchImpl: typeof fetch | undefined): HttpSend {
  const instance: AxiosInstance = axios.create({
    ...(fetchImpl
      ? { adapter: 'fetch' as const, env: { fetch: fetchImpl } }
      : { adapter: 'http' as const }),
    proxy: false,
    responseType: 'text',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxContentLength: 50 * 1024 * 1024,
  });
  return async (request) => {
    try {
      const res = await instance.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        signal: request.signal,
      });
      const type = res.headers['content-type'];
      return {
        status: res.status,
        text: typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data),
        contentType: typeof type === 'string' ? type : undefined,
      };
    } catch (error) {
      throw failureOf(error);
    }
  };
}
