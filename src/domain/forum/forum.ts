// The community forum behind /community: anyone reads, signed-in people of the organization ask,
// answer and vote; the asker (or staff) accepts an answer; staff hide, lock and pin, and turn a topic
// into a ticket for its asker or a draft article from its question and accepted answer.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumPosts, forumTopics, forumVotes, kbCategories, users } from "../../../db/schema";
import { type Actor, type Ctx, can, requirePermission } from "../context";
import { conflict, type FieldErrors, forbidden, invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { createArticle } from "../kb/articles";
import { createTicket } from "../tickets/commands";
import { isUuid } from "../tickets/rules";

export const TOPIC_TITLE_MAX = 150;
export const POST_BODY_MAX = 10_000;
const PAGE = 50;

/** Who looks at the forum: the organization, and the signed-in person if they belong to it. */
export interface ForumViewer {
  orgId: string;
  actor?: Actor;
}

const isStaff = (viewer: ForumViewer) => Boolean(viewer.actor && can(viewer.actor, "tickets.work"));

function member(ctx: Ctx) {
  if (!ctx.actor.userId) throw forbidden("Sign in to take part in the community.");
}

export interface TopicListItem {
  id: string;
  title: string;
  categoryName: string | null;
  authorName: string;
  votes: number;
  replies: number;
  answered: boolean;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  lastActivityAt: Date;
}

/** Topics newest activity first, pinned ones on top; hidden ones for staff only. */
export async function listTopics(
  db: DbOrTx,
  viewer: ForumViewer,
  options: { categorySlug?: string } = {},
): Promise<TopicListItem[]> {
  const rows = await db
    .select({
      id: forumTopics.id,
      title: forumTopics.title,
      categoryName: kbCategories.name,
      categorySlug: kbCategories.slug,
      authorName: users.name,
      votes: forumTopics.votes,
      replies: forumTopics.replies,
      accepted: forumTopics.acceptedPostId,
      pinned: forumTopics.pinned,
      locked: forumTopics.locked,
      hidden: forumTopics.hidden,
      lastActivityAt: forumTopics.lastActivityAt,
    })
    .from(forumTopics)
    .innerJoin(users, and(eq(users.orgId, forumTopics.orgId), eq(users.id, forumTopics.authorUserId)))
    .leftJoin(
      kbCategories,
      and(eq(kbCategories.orgId, forumTopics.orgId), eq(kbCategories.id, forumTopics.categoryId)),
    )
    .where(
      and(
        eq(forumTopics.orgId, viewer.orgId),
        isStaff(viewer) ? undefined : eq(forumTopics.hidden, false),
        options.categorySlug ? eq(kbCategories.slug, options.categorySlug) : undefined,
      ),
    )
    .orderBy(desc(forumTopics.pinned), desc(forumTopics.lastActivityAt))
    .limit(PAGE);
  return rows.map(({ accepted, categorySlug: _slug, ...r }) => ({ ...r, answered: accepted !== null }));
}

function checkBody(body: string, fields: FieldErrors, field = "body") {
  const text = (body ?? "").trim();
  if (!text) fields[field] = "Write something first.";
  else if (text.length > POST_BODY_MAX)
    fields[field] = `Keep it under ${POST_BODY_MAX.toLocaleString("en")} characters.`;
  return text;
}

export async function createTopic(
  ctx: Ctx,
  input: { title: string; body: string; categoryId?: string },
): Promise<string> {
  member(ctx);
  const fields: FieldErrors = {};
  const title = (input.title ?? "").trim();
  if (!title) fields.title = "Give your question a title.";
  else if (title.length > TOPIC_TITLE_MAX)
    fields.title = `Keep the title under ${TOPIC_TITLE_MAX} characters.`;
  const body = checkBody(input.body, fields);
  let categoryId: string | null = null;
  if (input.categoryId) {
    const [category] = isUuid(input.categoryId)
      ? await ctx.db
          .select({ id: kbCategories.id })
          .from(kbCategories)
          .where(and(eq(kbCategories.orgId, ctx.actor.orgId), eq(kbCategories.id, input.categoryId)))
      : [];
    if (category) categoryId = category.id;
    else fields.categoryId = "Choose one of the categories.";
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    const [topic] = await tx
      .insert(forumTopics)
      .values({
        orgId: ctx.actor.orgId,
        categoryId,
        title,
        body,
        authorUserId: ctx.actor.userId!,
        createdAt: ctx.now,
        lastActivityAt: ctx.now,
      })
      .returning({ id: forumTopics.id });
    await appendEvent(tx, ctx, { type: "forum.topic_created", data: { topicId: topic.id, title } });
    return topic.id;
  });
}

async function topicRow(db: DbOrTx, viewer: ForumViewer, topicId: string, lock = false) {
  if (!isUuid(topicId)) throw notFound("That topic");
  const query = db
    .select()
    .from(forumTopics)
    .where(and(eq(forumTopics.orgId, viewer.orgId), eq(forumTopics.id, topicId)));
  const [topic] = lock ? await query.for("update") : await query;
  if (!topic || (topic.hidden && !isStaff(viewer))) throw notFound("That topic");
  return topic;
}

/** A topic with its replies (hidden ones for staff only), its author's name, and what the viewer may do. */
export async function getTopic(db: DbOrTx, viewer: ForumViewer, topicId: string) {
  const topic = await topicRow(db, viewer, topicId);
  const [author] = await db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.orgId, viewer.orgId), eq(users.id, topic.authorUserId)));
  const posts = await db
    .select({
      id: forumPosts.id,
      body: forumPosts.body,
      authorName: users.name,
      authorRole: users.role,
      votes: forumPosts.votes,
      hidden: forumPosts.hidden,
      createdAt: forumPosts.createdAt,
    })
    .from(forumPosts)
    .innerJoin(users, and(eq(users.orgId, forumPosts.orgId), eq(users.id, forumPosts.authorUserId)))
    .where(
      and(
        eq(forumPosts.orgId, viewer.orgId),
        eq(forumPosts.topicId, topic.id),
        isStaff(viewer) ? undefined : eq(forumPosts.hidden, false),
      ),
    )
    .orderBy(asc(forumPosts.createdAt));
  const me = viewer.actor?.userId;
  return {
    topic,
    authorName: author?.name ?? "",
    posts,
    may: {
      reply: Boolean(me) && !topic.locked,
      accept: Boolean(me) && (me === topic.authorUserId || isStaff(viewer)),
      moderate: isStaff(viewer),
      toArticle: Boolean(viewer.actor && can(viewer.actor, "kb.write")),
    },
  };
}

export async function replyToTopic(ctx: Ctx, topicId: string, body: string): Promise<string> {
  member(ctx);
  const fields: FieldErrors = {};
  const text = checkBody(body, fields);
  if (Object.keys(fields).length) throw invalid(fields);
  return ctx.db.transaction(async (tx) => {
    const topic = await topicRow(tx, { orgId: ctx.actor.orgId, actor: ctx.actor }, topicId, true);
    if (topic.locked) throw conflict("This topic is locked: it takes no more replies.");
    const [post] = await tx
      .insert(forumPosts)
      .values({
        orgId: ctx.actor.orgId,
        topicId: topic.id,
        body: text,
        authorUserId: ctx.actor.userId!,
        createdAt: ctx.now,
      })
      .returning({ id: forumPosts.id });
    await tx
      .update(forumTopics)
      .set({ replies: sql`${forumTopics.replies} + 1`, lastActivityAt: ctx.now })
      .where(and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, topic.id)));
    await appendEvent(tx, ctx, { type: "forum.replied", data: { topicId: topic.id, postId: post.id } });
    return post.id;
  });
}

/** An up-vote on a topic or a reply; voting again takes it back. Returns whether the vote now stands. */
export async function toggleVote(ctx: Ctx, topicId: string, postId?: string): Promise<boolean> {
  member(ctx);
  return ctx.db.transaction(async (tx) => {
    const topic = await topicRow(tx, { orgId: ctx.actor.orgId, actor: ctx.actor }, topicId);
    if (topic.locked) throw conflict("This topic is locked.");
    let targetId = topic.id;
    if (postId) {
      const [post] = isUuid(postId)
        ? await tx
            .select({ id: forumPosts.id, hidden: forumPosts.hidden })
            .from(forumPosts)
            .where(
              and(
                eq(forumPosts.orgId, ctx.actor.orgId),
                eq(forumPosts.topicId, topic.id),
                eq(forumPosts.id, postId),
              ),
            )
        : [];
      if (!post || post.hidden) throw notFound("That reply");
      targetId = post.id;
    }
    const removed = await tx
      .delete(forumVotes)
      .where(
        and(
          eq(forumVotes.orgId, ctx.actor.orgId),
          eq(forumVotes.userId, ctx.actor.userId!),
          eq(forumVotes.targetId, targetId),
        ),
      )
      .returning();
    if (removed.length === 0)
      await tx
        .insert(forumVotes)
        .values({ orgId: ctx.actor.orgId, userId: ctx.actor.userId!, targetId, createdAt: ctx.now });
    const step = removed.length ? -1 : 1;
    if (postId)
      await tx
        .update(forumPosts)
        .set({ votes: sql`${forumPosts.votes} + ${step}` })
        .where(and(eq(forumPosts.orgId, ctx.actor.orgId), eq(forumPosts.id, targetId)));
    else
      await tx
        .update(forumTopics)
        .set({ votes: sql`${forumTopics.votes} + ${step}` })
        .where(and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, targetId)));
    return removed.length === 0;
  });
}

/** The asker (or staff) marks the reply that answered it; the same reply again unmarks it. */
export async function acceptAnswer(ctx: Ctx, topicId: string, postId: string): Promise<void> {
  member(ctx);
  await ctx.db.transaction(async (tx) => {
    const viewer = { orgId: ctx.actor.orgId, actor: ctx.actor };
    const topic = await topicRow(tx, viewer, topicId, true);
    if (topic.authorUserId !== ctx.actor.userId && !isStaff(viewer))
      throw forbidden("Only the person who asked, or staff, accept an answer.");
    const [post] = isUuid(postId)
      ? await tx
          .select({ id: forumPosts.id })
          .from(forumPosts)
          .where(
            and(
              eq(forumPosts.orgId, ctx.actor.orgId),
              eq(forumPosts.topicId, topic.id),
              eq(forumPosts.id, postId),
            ),
          )
      : [];
    if (!post) throw notFound("That reply");
    const accepted = topic.acceptedPostId === post.id ? null : post.id;
    await tx
      .update(forumTopics)
      .set({ acceptedPostId: accepted })
      .where(and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, topic.id)));
    await appendEvent(tx, ctx, {
      type: "forum.answer_accepted",
      data: { topicId: topic.id, postId: accepted },
    });
  });
}

export const MODERATION = ["hide", "show", "lock", "unlock", "pin", "unpin"] as const;
export type Moderation = (typeof MODERATION)[number];

/** Staff: hide or show a topic or one reply; lock, unlock, pin or unpin a topic. */
export async function moderate(ctx: Ctx, topicId: string, action: string, postId?: string): Promise<void> {
  requirePermission(ctx.actor, "tickets.work");
  if (!MODERATION.includes(action as Moderation)) throw invalid({ action: "Choose what to do." });
  await ctx.db.transaction(async (tx) => {
    const topic = await topicRow(tx, { orgId: ctx.actor.orgId, actor: ctx.actor }, topicId, true);
    const where = and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, topic.id));
    if (postId) {
      if (action !== "hide" && action !== "show")
        throw invalid({ action: "A reply can only be hidden or shown." });
      const changed = isUuid(postId)
        ? await tx
            .update(forumPosts)
            .set({ hidden: action === "hide" })
            .where(
              and(
                eq(forumPosts.orgId, ctx.actor.orgId),
                eq(forumPosts.topicId, topic.id),
                eq(forumPosts.id, postId),
              ),
            )
            .returning({ id: forumPosts.id })
        : [];
      if (changed.length === 0) throw notFound("That reply");
    } else if (action === "hide" || action === "show")
      await tx
        .update(forumTopics)
        .set({ hidden: action === "hide" })
        .where(where);
    else if (action === "lock" || action === "unlock")
      await tx
        .update(forumTopics)
        .set({ locked: action === "lock" })
        .where(where);
    else
      await tx
        .update(forumTopics)
        .set({ pinned: action === "pin" })
        .where(where);
    await appendEvent(tx, ctx, {
      type: "forum.moderated",
      data: { topicId: topic.id, postId: postId ?? null, action },
    });
  });
}

/** Staff: the asker's question becomes a ticket of theirs (once), linked from the topic. */
export async function topicToTicket(ctx: Ctx, topicId: string): Promise<number> {
  requirePermission(ctx.actor, "tickets.work");
  const viewer = { orgId: ctx.actor.orgId, actor: ctx.actor };
  // One transaction holding the topic's row lock: a second click waits for the first and then
  // finds the link, and a failure leaves neither a ticket nor a link.
  return ctx.db.transaction(async (tx) => {
    const topic = await topicRow(tx, viewer, topicId, true);
    if (topic.ticketId) throw conflict("This topic is already a ticket.");
    const [author] = await tx
      .select({ email: users.email, name: users.name, contactId: users.contactId })
      .from(users)
      .where(and(eq(users.orgId, ctx.actor.orgId), eq(users.id, topic.authorUserId)));
    const ticket = await createTicket(
      { ...ctx, db: tx as unknown as Db },
      {
        subject: topic.title,
        body: `${topic.body}\n\n(From the community topic “${topic.title}”.)`,
        channel: "web",
        ...(author?.contactId
          ? { contactId: author.contactId }
          : { requesterEmail: author?.email, requesterName: author?.name }),
      },
    );
    await tx
      .update(forumTopics)
      .set({ ticketId: ticket.id })
      .where(and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, topic.id)));
    return ticket.number;
  });
}

/**
 * Writers: a draft article from the question and its accepted answer (or the best-voted reply),
 * never from a reply moderators hid. A topic already made into an article gives that article.
 */
export async function topicToArticle(ctx: Ctx, topicId: string): Promise<string> {
  requirePermission(ctx.actor, "kb.write");
  const viewer = { orgId: ctx.actor.orgId, actor: ctx.actor };
  return ctx.db.transaction(async (tx) => {
    const locked = await topicRow(tx, viewer, topicId, true);
    if (locked.articleId) return locked.articleId;
    const { topic, posts } = await getTopic(tx, viewer, locked.id);
    const shown = posts.filter((p) => !p.hidden);
    const answer =
      shown.find((p) => p.id === topic.acceptedPostId) ?? [...shown].sort((a, b) => b.votes - a.votes)[0];
    if (!answer) throw conflict("The topic has no answer to make an article of yet.");
    const paragraphs = (text: string) =>
      text
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
        .join("\n");
    const article = await createArticle(
      { ...ctx, db: tx as unknown as Db },
      {
        title: topic.title,
        body: `<h2>Question</h2>\n${paragraphs(topic.body)}\n<h2>Answer</h2>\n${paragraphs(answer.body)}`,
        visibility: "public",
        note: "Made from a community topic",
      },
    );
    await tx
      .update(forumTopics)
      .set({ articleId: article.id })
      .where(and(eq(forumTopics.orgId, ctx.actor.orgId), eq(forumTopics.id, topic.id)));
    return article.id;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
