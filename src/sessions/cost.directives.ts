import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';
import { Directive } from 'type-graphql';

/**
 * The IBM GraphQL Cost Directives, in the form Apollo Federation 2.9 composes
 * (https://specs.apollo.dev/cost/v0.1: `weight` is an Int there, a String in IBM's draft).
 * Routers (Apollo Router, Hive, Grafbase, Cosmo) read them; so does this gateway's cost plugin,
 * which takes its prices from them and nowhere else.
 *
 * The unit is one Zoom call: a field's `weight` is the calls of its endpoint per page Zoom
 * answers, and `@listSize` says how many items a list holds when `first` is left out.
 * What the directives cannot say stays in the plugin, as Zoom's rules: how many items Zoom
 * puts on a page, how many month windows a range spans, and that one QoS walk serves every
 * participant of a session (docs/zoom-contract.md §2). A router that reads the directives
 * alone therefore prices a participant's `qos` once per participant, never less than we do.
 */
export const costDirective = new GraphQLDirective({
  name: 'cost',
  locations: [
    DirectiveLocation.ARGUMENT_DEFINITION,
    DirectiveLocation.ENUM,
    DirectiveLocation.FIELD_DEFINITION,
    DirectiveLocation.INPUT_FIELD_DEFINITION,
    DirectiveLocation.OBJECT,
    DirectiveLocation.SCALAR,
  ],
  args: { weight: { type: new GraphQLNonNull(GraphQLInt) } },
});

export const listSizeDirective = new GraphQLDirective({
  name: 'listSize',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    assumedSize: { type: GraphQLInt },
    slicingArguments: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    sizedFields: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    requireOneSlicingArgument: { type: GraphQLBoolean, defaultValue: true },
  },
});

export const COST_DIRECTIVES: readonly GraphQLDirective[] = [costDirective, listSizeDirective];

/** `@cost(weight:)` on a field, a query or an argument of an args class. */
export function Cost(weight: number): MethodDecorator & PropertyDecorator {
  if (!Number.isInteger(weight) || weight < 0) throw new Error(`@cost needs a whole, non-negative weight; got ${weight}`);
  return Directive(`@cost(weight: ${weight})`);
}

/**
 * `@listSize` on a Relay connection sliced by `first`: its `edges` and `nodes` hold `first`
 * items, or `assumedSize` (the argument's default) when `first` is left out, so no slicing
 * argument is required.
 */
export function ConnectionSize(assumedSize: number): MethodDecorator & PropertyDecorator {
  return Directive(`@listSize(assumedSize: ${assumedSize}, slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)`);
}

/** `@listSize` on a list with no slicing argument: it holds at most `assumedSize` items. */
export function ListOfAtMost(assumedSize: number): MethodDecorator & PropertyDecorator {
  return Directive(`@listSize(assumedSize: ${assumedSize}, requireOneSlicingArgument: false)`);
}
