// The community forum: customers and staff ask and answer in public; staff moderate, and turn a
// topic into a ticket or an article. Plain text only (rendered escaped, paragraph by paragraph).
import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { organizations } from "./orgs";

export const forumTopics = pgTable(
  "forum_topics",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The help center's category (kb_categories) the topic is filed under; null or gone: general. */
    categoryId: uuid("category_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    authorUserId: uuid("author_user_id").notNull(),
    /** Hidden by a moderator: only staff see it. */
    hidden: boolean("hidden").notNull().default(false),
    /** Locked: read-only, no more replies or votes. */
    locked: boolean("locked").notNull().default(false),
    pinned: boolean("pinned").notNull().default(false),
    acceptedPostId: uuid("accepted_post_id"),
    votes: integer("votes").notNull().default(0),
    replies: integer("replies").notNull().default(0),
    /** Set when staff turned it into a ticket or an article. */
    ticketId: uuid("ticket_id"),
    articleId: uuid("article_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("forum_topics_org_id").on(t.orgId, t.id),
    index("forum_topics_list").on(t.orgId, t.pinned, t.lastActivityAt),
    // Deferrable (hand-written in the migration): deleting an organization removes both sides.
    foreignKey({ columns: [t.orgId, t.authorUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

export const forumPosts = pgTable(
  "forum_posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    topicId: uuid("topic_id").notNull(),
    body: text("body").notNull(),
    authorUserId: uuid("author_user_id").notNull(),
    hidden: boolean("hidden").notNull().default(false),
    votes: integer("votes").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("forum_posts_org_id").on(t.orgId, t.id),
    index("forum_posts_topic").on(t.orgId, t.topicId, t.createdAt),
    foreignKey({
      columns: [t.orgId, t.topicId],
      foreignColumns: [forumTopics.orgId, forumTopics.id],
    }).onDelete("cascade"),
    // Deferrable, like the topic's.
    foreignKey({ columns: [t.orgId, t.authorUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

/** One vote per person on a topic or a reply (a vote is an up-vote; voting again takes it back). */
export const forumVotes = pgTable(
  "forum_votes",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** A topic's or a reply's id. */
    targetId: uuid("target_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    unique("forum_votes_once").on(t.orgId, t.userId, t.targetId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);
