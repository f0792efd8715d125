import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a page of a connection sits, per the Relay Cursor Connections Specification.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow the last edge: pass `endCursor` as `after` to get them.' }) hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether items precede the first edge (true whenever `after` was given).' }) hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge; null when the page is empty.' }) startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge; null when the page is empty.' }) endCursor!: string | null;
}
