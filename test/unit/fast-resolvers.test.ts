import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, graphql } from 'graphql';
import { Args, ArgsType, AuthChecker, Authorized, Ctx, Field, MiddlewareFn, ObjectType, Query, Resolver, UseMiddleware } from 'type-graphql';
import { buildSchemaWithFastResolvers } from '../../src/fast-resolvers';

interface TestContext {
  readonly roles: readonly string[] | undefined;
  readonly seen: string[];
}

/** Records every check and lets a signed-in user (roles set) through when it holds every role asked. */
const authChecker: AuthChecker<TestContext> = ({ context, info }, roles) => {
  context.seen.push(`auth ${info.parentType.name}.${info.fieldName} [${roles.join(',')}]`);
  return context.roles !== undefined && roles.every((role) => context.roles?.includes(role));
};

const recordField: MiddlewareFn<TestContext> = async ({ context, info }, next) => {
  context.seen.push(`middleware ${info.parentType.name}.${info.fieldName}`);
  return next();
};

const recordEverything: MiddlewareFn<TestContext> = async ({ context, info }, next) => {
  context.seen.push(`global ${info.parentType.name}.${info.fieldName}`);
  return next();
};

@ObjectType()
class Fenced {
  @Field(() => String)
  open = 'open';

  @Authorized()
  @Field(() => String)
  signedIn = 'signed in';

  @Authorized('admin')
  @Field(() => String)
  adminOnly = 'admin only';

  @UseMiddleware(recordField)
  @Field(() => String)
  watched = 'watched';
}

@ArgsType()
class EchoArgs {
  @Field(() => String)
  text!: string;
}

@Resolver()
class FencedResolver {
  @Query(() => Fenced)
  fenced(): Fenced {
    return new Fenced();
  }

  @Query(() => String)
  echo(@Args(() => EchoArgs) args: EchoArgs, @Ctx() context: TestContext): string {
    context.seen.push('echo ran');
    return args.text;
  }

  @Authorized('admin')
  @Query(() => String)
  secret(@Ctx() context: TestContext): string {
    context.seen.push('secret ran');
    return 'secret';
  }

  @UseMiddleware(recordField)
  @Query(() => String)
  watchedEcho(@Args(() => EchoArgs) args: EchoArgs, @Ctx() context: TestContext): string {
    context.seen.push('watchedEcho ran');
    return args.text;
  }
}

async function run(schema: GraphQLSchema, source: string, roles?: readonly string[]) {
  const context: TestContext = { roles, seen: [] };
  const result = await graphql({ schema, source, contextValue: context });
  return { data: result.data, errors: (result.errors ?? []).map((error) => `${error.path?.join('.')}: ${error.message}`), seen: context.seen };
}

function wrappedFields(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields())
    .filter((field) => field.resolve !== undefined)
    .map((field) => field.name);
}

describe('buildSchemaWithFastResolvers', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildSchemaWithFastResolvers({ resolvers: [FencedResolver], authChecker, validate: false });
  });

  it('keeps type-graphql\'s resolver on every field with roles or a middleware, and drops it on plain properties', () => {
    expect(wrappedFields(schema, 'Fenced')).toEqual(['signedIn', 'adminOnly', 'watched']);
  });

  it('runs the auth check of an `@Authorized()` field: anonymous callers are refused, signed-in ones pass', async () => {
    const anonymous = await run(schema, '{ fenced { open signedIn } }');
    expect(anonymous.errors).toEqual(['fenced.signedIn: Access denied! You need to be authenticated to perform this action!']);
    expect(anonymous.seen).toEqual(['auth Fenced.signedIn []']);

    const signedIn = await run(schema, '{ fenced { open signedIn } }', []);
    expect(signedIn).toEqual({ data: { fenced: { open: 'open', signedIn: 'signed in' } }, errors: [], seen: ['auth Fenced.signedIn []'] });
  });

  it('runs the auth check of a field with roles', async () => {
    const user = await run(schema, '{ fenced { adminOnly } }', ['user']);
    expect(user.errors).toEqual(['fenced.adminOnly: Access denied! You don\'t have permission for this action!']);
    const admin = await run(schema, '{ fenced { adminOnly } }', ['admin']);
    expect(admin).toEqual({ data: { fenced: { adminOnly: 'admin only' } }, errors: [], seen: ['auth Fenced.adminOnly [admin]'] });
  });

  it('runs a field\'s middleware', async () => {
    expect(await run(schema, '{ fenced { open watched } }')).toEqual({ data: { fenced: { open: 'open', watched: 'watched' } }, errors: [], seen: ['middleware Fenced.watched'] });
  });

  it('checks roles on a query before its method runs', async () => {
    const user = await run(schema, '{ secret }', ['user']);
    expect(user.errors).toEqual(['secret: Access denied! You don\'t have permission for this action!']);
    expect(user.seen).toEqual(['auth Query.secret [admin]']);
    expect(await run(schema, '{ secret }', ['admin'])).toEqual({ data: { secret: 'secret' }, errors: [], seen: ['auth Query.secret [admin]', 'secret ran'] });
  });

  it('runs a query\'s middleware before its method, and calls a query with neither directly', async () => {
    expect(await run(schema, '{ watchedEcho(text: "hi") }')).toEqual({ data: { watchedEcho: 'hi' }, errors: [], seen: ['middleware Query.watchedEcho', 'watchedEcho ran'] });
    const context: TestContext = { roles: undefined, seen: [] };
    // The direct call answers synchronously; type-graphql's wrapper would answer with a promise.
    const answer = schema.getQueryType()!.getFields().echo.resolve!(undefined, { text: 'hi' }, context, undefined as never);
    expect(answer).toBe('hi');
  });

  it('leaves every resolver to type-graphql when the schema has global middlewares, and each of them runs', async () => {
    const guarded = await buildSchemaWithFastResolvers({ resolvers: [FencedResolver], authChecker, validate: false, globalMiddlewares: [recordEverything] });
    expect(wrappedFields(guarded, 'Fenced')).toEqual(['open', 'signedIn', 'adminOnly', 'watched']);
    expect(await run(guarded, '{ echo(text: "hi") }')).toEqual({ data: { echo: 'hi' }, errors: [], seen: ['global Query.echo', 'echo ran'] });
    expect(await run(guarded, '{ fenced { open watched } }')).toEqual({
      data: { fenced: { open: 'open', watched: 'watched' } },
      errors: [],
      seen: ['global Query.fenced', 'global Fenced.open', 'global Fenced.watched', 'middleware Fenced.watched'],
    });
  });

  it('calls no query directly when type-graphql would validate its args', async () => {
    const validated = await buildSchemaWithFastResolvers({
      resolvers: [FencedResolver],
      authChecker,
      validate: true,
      validateFn: (argValue, _type, { context }) => {
        (context as TestContext).seen.push(`validated ${JSON.stringify(argValue)}`);
      },
    });
    expect(await run(validated, '{ echo(text: "hi") }')).toEqual({ data: { echo: 'hi' }, errors: [], seen: ['validated {"text":"hi"}', 'echo ran'] });
  });
});
