// Customer satisfaction: when a ticket is first solved, its requester is asked to rate the help
// (1–5 and a comment) through a link that needs no account and no JavaScript. One survey per
// ticket; the customer may change their answer; ratings count for the agent and team who solved it.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { contacts, organizations, satisfactionRatings, tickets } from "../../../db/schema";
import { newSecret, sha256 } from "../auth/secrets";
import { type Ctx, systemActor } from "../context";
import { orgForMail, queueMail } from "../email/outbox";
import { invalid, notFound } from "../errors";
import { appendEvent, type DbOrTx } from "../events/log";
import { formatTicketNumber } from "../orgs/counters";

/** Asks for a rating the first time a ticket is solved; later solves of the same ticket ask nothing. */
export async function requestRating(
  tx: DbOrTx,
  ticket: {
    id: string;
    orgId: string;
    number: number;
    subject: string;
    contactId: string;
    assigneeId: string | null;
    teamId: string | null;
  },
  now: Date,
): Promise<void> {
  const token = newSecret();
  const inserted = await tx
    .insert(satisfactionRatings)
    .values({
      orgId: ticket.orgId,
      ticketId: ticket.id,
      tokenHash: sha256(token),
      agentUserId: ticket.assigneeId,
      teamId: ticket.teamId,
      requestedAt: now,
    })
    .onConflictDoNothing({ target: [satisfactionRatings.orgId, satisfactionRatings.ticketId] })
    .returning({ id: satisfactionRatings.id });
  if (inserted.length === 0) return;
  const [contact] = await tx
    .select({ email: contacts.email, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.orgId, ticket.orgId), eq(contacts.id, ticket.contactId)));
  // A contact known only by phone has no address for the survey.
  if (!contact?.email) return;
  const org = await orgForMail(tx, ticket.orgId);
  await queueMail(
    tx,
    {
      orgId: ticket.orgId,
      to: contact.email,
      kind: "satisfaction_survey",
      automatic: true,
      ticket: { id: ticket.id },
      values: {
        "ticket.number": formatTicketNumber(ticket.number),
        "ticket.subject": ticket.subject,
        "contact.name": contact.name,
        "rating.url": `${org.baseUrl}/rate/${token}`,
        "org.name": org.name,
      },
    },
    now,
  );
}

async function surveyOf(db: DbOrTx, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound("That survey");
  const [row] = await db
    .select({
      rating: satisfactionRatings,
      number: tickets.number,
      subject: tickets.subject,
      orgName: organizations.name,
    })
    .from(satisfactionRatings)
    .innerJoin(
      tickets,
      and(eq(tickets.orgId, satisfactionRatings.orgId), eq(tickets.id, satisfactionRatings.ticketId)),
    )
    .innerJoin(organizations, eq(organizations.id, satisfactionRatings.orgId))
    .where(eq(satisfactionRatings.tokenHash, sha256(token)));
  if (!row) throw notFound("That survey");
  return row;
}

/** The survey behind a link, for its page. */
export async function surveyForToken(db: Db, token: string) {
  const row = await surveyOf(db, token);
  return {
    ticketNumber: formatTicketNumber(row.number),
    subject: row.subject,
    orgName: row.orgName,
    score: row.rating.score,
    comment: row.rating.comment ?? "",
  };
}

/** Records (or changes) the customer's answer. */
export async function rate(db: Db, token: string, input: { score?: string; comment?: string }, now: Date) {
  const row = await surveyOf(db, token);
  const score = Number(input.score);
  const comment = (input.comment ?? "").trim();
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw invalid({ score: "Choose from 1 (poor) to 5 (excellent)." });
  if (comment.length > 2_000) throw invalid({ comment: "Keep the comment under 2,000 characters." });
  await db.transaction(async (tx) => {
    await tx
      .update(satisfactionRatings)
      .set({ score, comment: comment || null, ratedAt: now })
      .where(eq(satisfactionRatings.id, row.rating.id));
    const ctx: Ctx = { db, actor: { ...systemActor(row.rating.orgId), name: "Customer" }, now };
    await appendEvent(tx, ctx, {
      type: "ticket.rated",
      ticketId: row.rating.ticketId,
      data: { score, comment: comment || null },
    });
  });
}

/** A ticket's rating for its page (staff only see it; the survey is the customer's). */
export async function ratingOfTicket(db: DbOrTx, orgId: string, ticketId: string) {
  const [row] = await db
    .select({
      score: satisfactionRatings.score,
      comment: satisfactionRatings.comment,
      ratedAt: satisfactionRatings.ratedAt,
    })
    .from(satisfactionRatings)
    .where(and(eq(satisfactionRatings.orgId, orgId), eq(satisfactionRatings.ticketId, ticketId)));
  return row;
}

/** Average score and count per agent, for reports. */
export async function ratingsByAgent(db: DbOrTx, orgId: string) {
  return db
    .select({
      agentUserId: satisfactionRatings.agentUserId,
      count: sql<number>`count(*)::int`,
      average: sql<number>`round(avg(${satisfactionRatings.score})::numeric, 2)::float`,
    })
    .from(satisfactionRatings)
    .where(and(eq(satisfactionRatings.orgId, orgId), isNotNull(satisfactionRatings.score)))
    .groupBy(satisfactionRatings.agentUserId);
}
