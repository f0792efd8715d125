import { ExecutionArgs, ExecutionResult, createSourceEventStream, execute } from 'graphql';
import type { CallPayers } from '../budget/client-quota';

/**
 * graphql-js's `subscribe` executes the selection once per event per subscriber. A thousand
 * dashboards with the same document ask for the same answer a thousand times: here each event
 * is executed once per distinct document and variables (the `operationKey`), and the result is
 * shared by every subscriber asking the same (the live bench's 1,000-subscriber fan-out), with
 * a query's loaders and call caps of its own. The Zoom calls it makes are paid from the quota of
 * one of the clients it answers (`payers`): whichever has some left, so a client that spent its own
 * neither rides on the others' for a document of its own nor makes theirs fail for a shared one.
 * The executions and payers hang on the event object, living as long as its delivery.
 */
interface SharedExecution {
  readonly result: ExecutionResult | Promise<ExecutionResult>;
  /** The clients this execution answers, in the order they asked: any may pay its calls. */
  readonly candidates: Set<string>;
  /** Those whose quota refused it a call. */
  readonly refused: CallPayers['refused'];
}

const executions = new WeakMap<object, Map<string, SharedExecution>>();

/**
 * Builds an execution's context from the subscriber's (what resolvers of the root fields read)
 * and fresh loaders, whose Zoom calls are charged to one of `payers`; `payerOf` names the client
 * a subscriber's context belongs to, as its quota knows it.
 */
export interface EventContextFactory {
  readonly payerOf: (subscriberContext: unknown) => string;
  readonly create: (subscriberContext: unknown, payers: CallPayers) => unknown;
}

function executeFor(args: ExecutionArgs, event: unknown, contexts: EventContextFactory, payer: string): SharedExecution {
  const payers = { candidates: new Set([payer]), refused: new Map() };
  return { result: execute({ ...args, rootValue: event, contextValue: contexts.create(args.contextValue, payers) }), ...payers };
}

function sharedResult(args: ExecutionArgs, operationKey: string | undefined, event: unknown, contexts: EventContextFactory): ExecutionResult | Promise<ExecutionResult> {
  const payer = contexts.payerOf(args.contextValue);
  if (operationKey === undefined || typeof event !== 'object' || event === null) return executeFor(args, event, contexts, payer).result;
  let ofEvent = executions.get(event);
  if (!ofEvent) executions.set(event, (ofEvent = new Map()));
  const shared = ofEvent.get(operationKey);
  if (!shared) {
    const execution = executeFor(args, event, contexts, payer);
    ofEvent.set(operationKey, execution);
    return execution.result;
  }
  // Asked while its calls may still be made: a candidate from now on. A subscriber that takes the event late (its
  // socket slow to drain) was never asked: an answer some quota refused is executed again for its own client.
  const late = !shared.candidates.has(payer);
  shared.candidates.add(payer);
  if (!late) return shared.result;
  const forLate = (result: ExecutionResult): ExecutionResult | Promise<ExecutionResult> => {
    if (shared.refused.size === 0 || shared.refused.has(payer) || result.errors === undefined) return result;
    const ownKey = `${operationKey}\u0000${payer}`;
    let own = ofEvent.get(ownKey);
    if (!own) ofEvent.set(ownKey, (own = executeFor(args, event, contexts, payer)));
    return own.result;
  };
  return shared.result instanceof Promise ? shared.result.then(forLate) : forLate(shared.result);
}

/** An iterator of results over `source` whose `return` and `throw` reach the source, so a subscriber's queue is released. */
function resultsOver(source: AsyncIterator<unknown>, next: () => Promise<IteratorResult<ExecutionResult>>): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next,
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

/**
 * Maps source events to results. With `room`, an event after the first is taken from the source
 * only once the transport has room for it: a subscriber that stops reading fills its own queue and
 * is dropped, instead of filling a buffer its library keeps beyond reach (graphql-sse's).
 */
function mapEvents(source: AsyncIterator<unknown>, map: (event: unknown) => ExecutionResult | Promise<ExecutionResult>, room?: () => Promise<void>): AsyncIterableIterator<ExecutionResult> {
  let first = true;
  return resultsOver(source, async () => {
    if (room !== undefined && !first) await room();
    first = false;
    const step = await source.next();
    return step.done ? { value: undefined, done: true } : { value: await map(step.value), done: false };
  });
}

/**
 * Writes each event's result itself (`write`, whose promise settles once the transport has taken
 * it) and yields nothing: its one `next` settles when the source ends. A transport that serialises
 * a shared result once for all its subscribers skips its library's per-subscriber copy and
 * serialisation. A subscriber takes its next event only once the last is written, so one that
 * stops reading still fills its queue and is dropped.
 */
function writeEvents(source: AsyncIterator<unknown>, map: (event: unknown) => ExecutionResult | Promise<ExecutionResult>, write: (result: ExecutionResult) => Promise<void>): AsyncIterableIterator<ExecutionResult> {
  let ended: Promise<IteratorResult<ExecutionResult>> | undefined;
  const run = async (): Promise<IteratorResult<ExecutionResult>> => {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) return { value: undefined, done: true };
        await write(await map(step.value));
      }
    } catch (error) {
      // graphql-ws forgets a subscription whose iteration threw without calling its `return`: the
      // source (the subscriber's queue, its place) is released here, or it would stay subscribed for good.
      await source.return?.();
      throw error;
    }
  };
  return resultsOver(source, () => (ended ??= run()));
}

/** How results reach the transport: written by `subscribeShared` itself (`write`), or yielded, each once the transport has `room`. */
export type Delivery = { readonly write: (result: ExecutionResult) => Promise<void> } | { readonly room?: () => Promise<void> };

/**
 * `subscribe` for graphql-ws and graphql-sse: graphql-js's, with one execution per event per
 * operation key, each with a context of its own. With `write`, results are written through it rather
 * than yielded (see `writeEvents`).
 */
export async function subscribeShared(args: ExecutionArgs, operationKey: string | undefined, eventContext: EventContextFactory, delivery: Delivery = {}): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const map = (event: unknown) => sharedResult(args, operationKey, event, eventContext);
  return 'write' in delivery ? writeEvents(stream[Symbol.asyncIterator](), map, delivery.write) : mapEvents(stream[Symbol.asyncIterator](), map, delivery.room);
}
