import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../pagination/page-info.type';
import { Session } from './session.type';

@ObjectType({ description: 'A session and the cursor that points at it.' })
export class SessionEdge {
  @Field(() => String, { description: 'Opaque; pass it as `after` to continue after this session.' })
  cursor!: string;

  @Field(() => Session)
  node!: Session;
}

@ObjectType({ description: 'A page of sessions, newest window first, in Zoom\'s order within a window.' })
export class SessionConnection {
  @Field(() => [SessionEdge])
  edges!: SessionEdge[];

  @Field(() => [Session], { description: 'The same sessions as `edges`, without cursors.' })
  nodes!: Session[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
