// The supervisor's report of a period: how much came in and went out, how soon customers got a first
// answer, how many tickets missed an SLA target, what customers said, how many found the answer
// themselves, how field visits ended, and what was invoiced and collected. Read from the tables through their period indexes each
// time (nothing is stored for it), so it is always current.
import { type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { eventDataField } from "../../../db/schema";
import { type Ctx, can, requirePermission } from "../context";
import { type BillingFigures, billingFigures } from "../invoicing/invoices";
import { SLA_ESCALATED_EVENT } from "../sla/escalation";

export const REPORT_PERIODS = [7, 30, 90] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
const DAY_MS = 86_400_000;

export interface DeskReport {
  days: ReportPeriod;
  from: Date;
  to: Date;
  tickets: { created: number; solved: number; byChannel: { channel: string; count: number }[] };
  /** Calendar time from a ticket's creation to the first public reply by staff, for tickets created in the period. */
  firstReply: {
    answered: number;
    unanswered: number;
    medianMinutes: number | null;
    p90Minutes: number | null;
  };
  /** Tickets created in the period under an SLA policy, and those that missed a target (escalated as breached). */
  sla: { withPolicy: number; breached: number; metShare: number | null };
  satisfaction: {
    requested: number;
    rated: number;
    average: number | null;
    /** Share of ratings of 4 or 5. */
    satisfiedShare: number | null;
    byAgent: { name: string; rated: number; average: number }[];
  };
  selfService: { deflections: number; topArticles: { title: string; count: number }[] };
  /** Visits that ended in the period: completed, or could not be completed. */
  field: {
    workOrdersCreated: number;
    visitsEnded: number;
    visitsCompleted: number;
    completedShare: number | null;
  };
  /** Per currency; null for a reader who may not see invoices. */
  billing: BillingFigures[] | null;
}

/** "7", "30" or "90" days; anything else is the default, 30. */
export function reportPeriod(text: string | undefined): ReportPeriod {
  const days = Number(text);
  return (REPORT_PERIODS as readonly number[]).includes(days) ? (days as ReportPeriod) : 30;
}

export async function deskReport(ctx: Ctx, days: ReportPeriod): Promise<DeskReport> {
  requirePermission(ctx.actor, "reports.read");
  const orgId = ctx.actor.orgId;
  const to = ctx.now;
  const from = new Date(to.getTime() - days * DAY_MS);
  const period = { orgId, from: from.toISOString(), to: to.toISOString() };
  const [
    tickets,
    byChannel,
    firstReply,
    sla,
    satisfaction,
    byAgent,
    selfService,
    topArticles,
    field,
    billing,
  ] = await Promise.all([
    one(ctx, ticketTotals(period)),
    all(ctx, channelCounts(period)),
    one(ctx, firstReplyTimes(period)),
    one(ctx, slaOutcomes(period)),
    one(ctx, ratingTotals(period)),
    all(ctx, ratingsByAgent(period)),
    one(ctx, deflectionTotal(period)),
    all(ctx, deflectingArticles(period)),
    one(ctx, visitOutcomes(period)),
    can(ctx.actor, "invoices.read") ? billingFigures(ctx, from, to) : null,
  ]);
  const rated = num(satisfaction.rated);
  const withPolicy = num(sla.with_policy);
  const visitsEnded = num(field.ended);
  return {
    days,
    from,
    to,
    tickets: {
      created: num(tickets.created),
      solved: num(tickets.solved),
      byChannel: byChannel.map((r) => ({ channel: String(r.channel), count: num(r.count) })),
    },
    firstReply: {
      answered: num(firstReply.answered),
      unanswered: num(firstReply.unanswered),
      medianMinutes: orNull(firstReply.median_minutes),
      p90Minutes: orNull(firstReply.p90_minutes),
    },
    sla: {
      withPolicy,
      breached: num(sla.breached),
      metShare: withPolicy ? (withPolicy - num(sla.breached)) / withPolicy : null,
    },
    satisfaction: {
      requested: num(satisfaction.requested),
      rated,
      average: rated ? num(satisfaction.average) : null,
      satisfiedShare: rated ? num(satisfaction.satisfied) / rated : null,
      byAgent: byAgent.map((r) => ({ name: String(r.name), rated: num(r.rated), average: num(r.average) })),
    },
    selfService: {
      deflections: num(selfService.count),
      topArticles: topArticles.map((r) => ({ title: String(r.title), count: num(r.count) })),
    },
    field: {
      workOrdersCreated: num(field.work_orders_created),
      visitsEnded,
      visitsCompleted: num(field.completed),
      completedShare: visitsEnded ? num(field.completed) / visitsEnded : null,
    },
    billing,
  };
}

type Row = Record<string, unknown>;
interface Period {
  orgId: string;
  from: string;
  to: string;
}

const num = (value: unknown) => Number(value ?? 0);
const orNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const one = async (ctx: Ctx, query: SQL) => rowsOf<Row>(await ctx.db.execute(query))[0] ?? {};
const all = async (ctx: Ctx, query: SQL) => rowsOf<Row>(await ctx.db.execute(query));
const inPeriod = (column: SQL, p: Period) =>
  sql`${column} >= ${p.from}::timestamptz and ${column} < ${p.to}::timestamptz`;

function ticketTotals(p: Period): SQL {
  return sql`select
    (select count(*) from tickets t where t.org_id = ${p.orgId} and ${inPeriod(sql`t.created_at`, p)}) as created,
    (select count(*) from tickets t where t.org_id = ${p.orgId} and ${inPeriod(sql`t.solved_at`, p)}) as solved`;
}

function channelCounts(p: Period): SQL {
  return sql`select t.channel, count(*) as count from tickets t
    where t.org_id = ${p.orgId} and ${inPeriod(sql`t.created_at`, p)}
    group by t.channel order by count(*) desc, t.channel`;
}

/** The first staff reply is kept on the ticket (first_replied_at, set by a trigger on ticket_messages). */
function firstReplyTimes(p: Period): SQL {
  const minutes = sql`extract(epoch from t.first_replied_at - t.created_at) / 60`;
  return sql`select count(t.first_replied_at) as answered, count(*) - count(t.first_replied_at) as unanswered,
      percentile_cont(0.5) within group (order by ${minutes}) as median_minutes,
      percentile_cont(0.9) within group (order by ${minutes}) as p90_minutes
    from tickets t
    where t.org_id = ${p.orgId} and ${inPeriod(sql`t.created_at`, p)} and t.merged_into_id is null`;
}

/** A missed target is escalated to the supervisor exactly once per clock: that step marks the breach. */
function slaOutcomes(p: Period): SQL {
  return sql`select count(*) as with_policy, count(*) filter (where exists (
      select 1 from events e
      where e.org_id = t.org_id and e.ticket_id = t.id and e.type = ${SLA_ESCALATED_EVENT}
        and ${eventDataField(sql`e.data`, "step")} = 'overdue_supervisor'
    )) as breached
    from tickets t
    where t.org_id = ${p.orgId} and ${inPeriod(sql`t.created_at`, p)} and t.sla_policy_id is not null`;
}

function ratingTotals(p: Period): SQL {
  return sql`select
    (select count(*) from satisfaction_ratings r where r.org_id = ${p.orgId} and ${inPeriod(sql`r.requested_at`, p)}) as requested,
    count(*) as rated, avg(r.score) as average, count(*) filter (where r.score >= 4) as satisfied
    from satisfaction_ratings r
    where r.org_id = ${p.orgId} and r.score is not null and ${inPeriod(sql`r.rated_at`, p)}`;
}

function ratingsByAgent(p: Period): SQL {
  return sql`select u.name, count(*) as rated, round(avg(r.score), 2) as average
    from satisfaction_ratings r join users u on u.org_id = r.org_id and u.id = r.agent_user_id
    where r.org_id = ${p.orgId} and r.score is not null and ${inPeriod(sql`r.rated_at`, p)}
    group by u.id, u.name order by count(*) desc, u.name limit 10`;
}

function deflectionTotal(p: Period): SQL {
  return sql`select count(*) as count from kb_deflections d
    where d.org_id = ${p.orgId} and ${inPeriod(sql`d.created_at`, p)}`;
}

function deflectingArticles(p: Period): SQL {
  return sql`select tr.title, count(*) as count
    from kb_deflections d
    join kb_articles a on a.org_id = d.org_id and a.id = d.article_id
    join kb_article_translations tr on tr.org_id = a.org_id and tr.article_id = a.id and tr.locale = a.default_locale
    where d.org_id = ${p.orgId} and ${inPeriod(sql`d.created_at`, p)}
    group by a.id, tr.title order by count(*) desc, tr.title limit 5`;
}

/** Visits are counted by the day they were booked for, once they have ended either way. */
function visitOutcomes(p: Period): SQL {
  return sql`select
    (select count(*) from work_orders w where w.org_id = ${p.orgId} and ${inPeriod(sql`w.created_at`, p)}) as work_orders_created,
    count(*) filter (where a.status in ('completed', 'cannot_complete')) as ended,
    count(*) filter (where a.status = 'completed') as completed
    from appointments a
    where a.org_id = ${p.orgId} and ${inPeriod(sql`a.starts_at`, p)}`;
}
