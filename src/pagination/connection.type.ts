import { ClassType, Field, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

/** What a connection's schema says about its nodes; the edge, cursor and nodes are described alike for every list. */
export interface ConnectionTexts {
  /** `session`: what one node is. */
  readonly one: string;
  /** `sessions`. */
  readonly many: string;
  /** The page and its order. */
  readonly page: string;
  /** Where a cursor may be used, when narrower than the list (` (same session only)`). */
  readonly cursorScope?: string;
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
  @ObjectType(`${name}Edge`, { description: `A ${texts.one} and the cursor that points at it.` })
  class Edge implements EdgeShape<TNode> {
    @Field(() => String, { description: `Opaque; pass it as \`after\` to continue after this ${texts.one}${texts.cursorScope ?? ''}.` }) cursor!: string;

    @Field(() => node) node!: TNode;
  }

  @ObjectType(`${name}Connection`, { description: texts.page })
  class Connection implements ConnectionShape<TNode> {
    @Field(() => [Edge]) edges!: Edge[];

    @Field(() => [node], { description: `The same ${texts.many} as \`edges\`, without cursors.` }) nodes!: TNode[];

    @Field(() => PageInfo) pageInfo!: PageInfo;
  }

  return { Edge, Connection };
}
