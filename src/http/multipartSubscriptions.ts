import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** Apollo Client asks for its HTTP subscriptions with this Accept header parameter. */
const APOLLO_SUBSCRIPTIONS = /multipart\/mixed[^,]*subscriptionSpec="?1\.0"?/i;
/** Proxies close streams that stay silent; Apollo's protocol keeps them alive with empty parts. */
const HEARTBEAT_MS = 5_000;

/** A result as the client may see it: without the transport hints Yoga keeps in error extensions. */
function publicResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
    return { ...error.toJSON(), extensions };
  });
  return { ...result, errors } as unknown as ExecutionResult;
}

/**
 * Apollo's multipart HTTP subscriptions ("subscriptionSpec=1.0"), which Apollo Client's HttpLink
 * speaks without any extra link: each event is a part `{"payload": <result>}`, an empty `{}` part
 * every 5 s is the heartbeat, and the closing boundary ends the subscription. Yoga answers only
 * SSE for subscriptions otherwise (406 for this Accept header).
 */
export function apolloMultipartSubscriptions(): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !APOLLO_SUBSCRIPTIONS.test(request.headers.get('accept') ?? '')) return;
      setResultProcessor((events, fetchAPI) => {
        const encoder = new fetchAPI.TextEncoder();
        // Each part is followed by the boundary at once: a client knows a part is whole only when it sees the next boundary.
        const part = (body: unknown) =>
          encoder.encode(
            `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body)}\r\n--graphql`,
          );
        const iterator = (events as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
        let heartbeat: NodeJS.Timeout | undefined;
        const stream = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('\r\n--graphql'));
            heartbeat = setInterval(() => controller.enqueue(part({})), HEARTBEAT_MS);
          },
          async pull(controller) {
            const { done, value } = await iterator.next();
            if (value != null) controller.enqueue(part({ payload: publicResult(value) }));
            if (done) {
              clearInterval(heartbeat);
              controller.enqueue(encoder.encode('--\r\n'));
              controller.close();
            }
          },
          async cancel() {
            clearInterval(heartbeat);
            await iterator.return?.();
          },
        });
        return new fetchAPI.Response(stream, {
          status: 200,
          headers: {
            'content-type': 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"',
            'cache-control': 'no-cache',
          },
        });
      }, 'multipart/mixed');
    },
  };
}
