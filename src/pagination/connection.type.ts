import { ClassType, Field, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

/** What a connection's schema says about its nodes, in the words of the thing listed. */
export interface ConnectionTexts {
  /** `A session and the cursor that points at it.` */
  readonly edge: string;
  /** What `after` with this cursor continues after. */
  readonly cursor: string;
  /** The page: its order. */
  readonly connection: string;
  /** `The same sessions as \`edges\`, without cursors.` */
  readonly nodes: string;
}

export interface EdgeShape<TNode> {
  cursor: string;
  node: TNode;
}

export interface ConnectionShape<TNode> {
  edges: EdgeShape<TNode>[];
  nodes: TNode[];
  pageInfo: PageInfo;
}

/**
 * A Relay connection and its edge over `node` (type-graphql's generic types): `<Name>Edge` and `<Name>Connection`,
 * so every list the graph pages has the same shape, `nodes` beside `edges` included.
 */
export function connectionTypes<TNode extends object>(
  name: string,
  node: ClassType<TNode>,
  texts: ConnectionTexts,
): { Edge: ClassType<EdgeShape<TNode>>; Connection: ClassType<ConnectionShape<TNode>> } {
  @ObjectType(`${name}Edge`, { description: texts.edge })
  class Edge implements EdgeShape<TNode> {
    @Field(() => String, { description: texts.cursor })
    cursor!: string;

    @Field(() => node)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, { description: texts.connection })
  class Connection implements ConnectionShape<TNode> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node], { description: texts.nodes })
    nodes!: TNode[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  return { Edge, Connection };
}
