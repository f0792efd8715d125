import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../pagination/page-info.type';
import { SessionUser } from './session-user.type';

@ObjectType({ description: 'A participant and the cursor that points at it.' })
export class SessionUserEdge {
  @Field(() => String, { description: 'Opaque; pass it as `after` to continue after this participant (same session only).' })
  cursor!: string;

  @Field(() => SessionUser)
  node!: SessionUser;
}

@ObjectType({ description: 'A page of a session\'s participants, in Zoom\'s order.' })
export class SessionUserConnection {
  @Field(() => [SessionUserEdge])
  edges!: SessionUserEdge[];

  @Field(() => [SessionUser], { description: 'The same participants as `edges`, without cursors.' })
  nodes!: SessionUser[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
