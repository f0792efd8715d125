import { ExecutionArgs, ExecutionResult, createSourceEventStream, execute } from 'graphql';

/**
 * graphql-js's `subscribe` executes the selection once per event per subscriber. A thousand
 * dashboards with the same document ask for the same answer a thousand times: here each event
 * is executed once per distinct document and variables (the `operationKey`), and the result is
 * shared by every subscriber asking the same (the live bench's 1,000-subscriber fan-out). The
 * shared results hang on the event object, living as long as its delivery.
 */
const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

function sharedResult(args: ExecutionArgs, operationKey: string | undefined, event: unknown): ExecutionResult | Promise<ExecutionResult> {
  if (operationKey === undefined || typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
  let byOperation = results.get(event);
  if (!byOperation) results.set(event, (byOperation = new Map()));
  let result = byOperation.get(operationKey);
  if (!result) byOperation.set(operationKey, (result = execute({ ...args, rootValue: event })));
  return result;
}

/** Maps source events to results; `return` reaches the source, so a subscriber's queue is released. */
function mapEvents(source: AsyncIterator<unknown>, map: (event: unknown) => ExecutionResult | Promise<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await source.next();
      return step.done ? { value: undefined, done: true } : { value: await map(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** `subscribe` for graphql-ws: graphql-js's, with one execution per event per operation key. */
export async function subscribeShared(args: ExecutionArgs, operationKey: string | undefined): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  return mapEvents(stream[Symbol.asyncIterator](), (event) => sharedResult(args, operationKey, event));
}
