import type { PubSub } from 'type-graphql';

/**
 * type-graphql asks for a PubSub whenever the schema has a subscription, even one that brings
 * its own `subscribe`; sessionEvents does (its events come from the live feed in the context,
 * with a bounded buffer per subscriber), so topics are never used.
 */
export const topiclessPubSub: PubSub = {
  publish() {
    throw new Error('the gateway publishes through the live feed, not type-graphql topics');
  },
  subscribe() {
    throw new Error('the gateway subscribes through the live feed, not type-graphql topics');
  },
};
