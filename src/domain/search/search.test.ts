// Ticket search documents (kept by triggers), the ways the newest matches are found, and the
// organization's search language. Runs on PGlite and, with DATABASE_URL, on Postgres.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { jobs, ticketMessages, tickets } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { createArticle, setArticleStatus } from "../kb/articles";
import { readerFor } from "../kb/help";
import { formatTicketNumber } from "../orgs/counters";
import { mergeTickets } from "../relations/merge";
import { addMessage, createTicket, updateTicket } from "../tickets/commands";
import { listTickets } from "../tickets/queries";
import {
  getSearchSettings,
  reindexOrgSearch,
  SEARCH_REINDEX_QUEUE,
  saveSearchSettings,
  searchConfigOf,
} from "./config";
import { searchEverything, searchHelp, searchLimits, searchOwnTickets } from "./search";

let home: Fixture;
let away: Fixture;

beforeAll(async () => {
  home = await createOrg("SearchHome");
  away = await createOrg("SearchAway");
});

const subjects = async (fixture: Fixture, q: string, extra: { status?: string } = {}) =>
  (await searchEverything(fixture.ctx("agent"), { q, ...extra })).tickets.map((t) => t.subject);

/** Whether the ticket's search document matches the words; null when it has none. */
async function documentHas(ticketId: string, words: string) {
  const { db } = await testDatabase();
  const [row] = rowsOf<{ ok: boolean }>(
    await db.execute(
      sql`select document @@ to_tsquery('english', ${words}) as ok from ticket_search where ticket_id = ${ticketId}`,
    ),
  );
  return row?.ok ?? null;
}

describe("ticket search documents", () => {
  test("subjects, replies and notes are found as they are written; facets follow status changes", async () => {
    const agent = home.ctx("agent");
    const ticket = await createTicket(home.ctx("customer"), {
      subject: "Printer jams daily",
      body: "The tray squeaks when it pulls paper.",
    });
    expect(await subjects(home, "squeaks")).toEqual(["Printer jams daily"]);
    expect(await subjects(home, "roller")).toEqual([]);
    await addMessage(agent, ticket.number, { kind: "note", body: "Ordered a new roller from the depot." });
    const found = await searchEverything(agent, { q: "roller" });
    expect(found.tickets.map((t) => t.subject)).toEqual(["Printer jams daily"]);
    expect(found.tickets[0].snippet).toContain("\u0002roller\u0003");
    expect(found.ticketFacets.status).toEqual({ open: 1 });
    // The customer's own search never matches a note's words, only the subject and replies.
    expect(await searchOwnTickets(home.ctx("customer"), { q: "roller" })).toEqual([]);
    expect((await searchOwnTickets(home.ctx("customer"), { q: "squeaks" })).map((t) => t.subject)).toEqual([
      "Printer jams daily",
    ]);
    await updateTicket(agent, ticket.number, { status: "pending", priority: "high" });
    const after = await searchEverything(agent, { q: "roller" });
    expect(after.ticketFacets).toEqual({ status: { pending: 1 }, priority: { high: 1 }, capped: false });
    expect(await subjects(home, "roller", { status: "open" })).toEqual([]);
    expect(await subjects(home, "roller", { status: "pending" })).toEqual(["Printer jams daily"]);
    // The desk's list filter reads the same documents.
    const list = await listTickets(agent, { q: "roller" });
    expect(list.rows.map((t) => t.subject)).toEqual(["Printer jams daily"]);
    // Another organization finds nothing of it.
    expect(await subjects(away, "roller")).toEqual([]);
  });

  test("tickets found by subject and those found by a message both carry a snippet of the matching message", async () => {
    const fixture = await createOrg("SearchSnippets");
    const customer = fixture.ctx("customer");
    await createTicket(customer, {
      subject: "Boiler pressure drops",
      body: "The boiler loses pressure overnight.",
    });
    await createTicket(customer, {
      subject: "Heating cold",
      body: "Radiators cold; the boiler light blinks red.",
    });
    const found = await searchEverything(fixture.ctx("agent"), { q: "boiler" });
    expect(found.tickets.map((t) => t.subject)).toEqual(["Boiler pressure drops", "Heating cold"]);
    expect(found.tickets[0].snippet).toContain("\u0002boiler\u0003 loses pressure");
    expect(found.tickets[1].snippet).toContain("the \u0002boiler\u0003 light blinks");
  });

  test("only the last word is a prefix while typing; websearch syntax still works", async () => {
    await createTicket(home.ctx("customer"), {
      subject: "Badge reader offline",
      body: "The reader at the loading dock stopped beeping.",
    });
    // Prefixes of the stems: "loading" is indexed as "load", "beeping" as "beep".
    expect(await subjects(home, "loa")).toEqual(["Badge reader offline"]);
    expect(await subjects(home, "dock bee")).toEqual(["Badge reader offline"]);
    expect(await subjects(home, "loa beeping")).toEqual([]);
    expect(await subjects(home, '"loading dock" -printer')).toEqual(["Badge reader offline"]);
    expect(await subjects(home, "dock or zeppelin")).toEqual(["Badge reader offline"]);
  });

  test("merging moves the duplicate's words to the survivor; subject edits and deleted messages rebuild", async () => {
    const { db } = await testDatabase();
    const agent = home.ctx("agent");
    const duplicate = await createTicket(home.ctx("customer"), {
      subject: "Scanner stuck",
      body: "The flatbed glass is cracked.",
    });
    const survivor = await createTicket(home.ctx("customer"), {
      subject: "Scanner broken",
      body: "It rattles.",
    });
    await mergeTickets(agent, duplicate.number, { target: formatTicketNumber(survivor.number) });
    expect(await documentHas(survivor.id, "flatbed")).toBe(true);
    expect(await documentHas(duplicate.id, "flatbed")).toBe(false);
    expect(await documentHas(duplicate.id, "stuck")).toBe(true);
    expect(await subjects(home, "flatbed")).toEqual(["Scanner broken"]);

    // The survivor's merge reply names both subjects; the duplicate's document is its subject alone.
    await db.update(tickets).set({ subject: "Scanner jammed" }).where(eq(tickets.id, duplicate.id));
    expect(await documentHas(duplicate.id, "stuck")).toBe(false);
    expect(await documentHas(duplicate.id, "jammed")).toBe(true);

    await db
      .delete(ticketMessages)
      .where(and(eq(ticketMessages.orgId, home.orgId), eq(ticketMessages.ticketId, survivor.id)));
    expect(await documentHas(survivor.id, "flatbed")).toBe(false);
    expect(await documentHas(survivor.id, "scanner & broken")).toBe(true);

    await db.delete(tickets).where(eq(tickets.id, duplicate.id));
    expect(await documentHas(duplicate.id, "jammed")).toBeNull();
  });

  test("a document past the size of a tsvector keeps what it had instead of failing the write", async () => {
    const { db } = await testDatabase();
    // Nearly 1 MB of distinct words, then more: past the limit of one tsvector.
    const [row] = rowsOf<{ before: number; after: number }>(
      await db.execute(sql`
        with big as (
          select array_to_tsvector(array(select 'w' || g || repeat('x', 200) from generate_series(1, 4700) g)) as v
        )
        select length(v) as before,
               length(tsvector_append(v, array_to_tsvector(array(select 'y' || g || repeat('z', 200) from generate_series(1, 500) g)))) as after
        from big`),
    );
    expect(Number(row.after)).toBe(Number(row.before));
  });

  test("the newest matches come first, whether sorted or walked to, filters included", async () => {
    const { db } = await testDatabase();
    const org = await createOrg("SearchMany");
    const contact = rowsOf<{ id: string }>(
      await db.execute(sql`select id from contacts where org_id = ${org.orgId} limit 1`),
    )[0].id;
    // 120 tickets whose messages share a word (more than are sorted in one go, lowered here), every
    // tenth also saying "walrus" (12: sorted); three are pending (too few for walking to find them).
    await db.execute(sql`
      insert into tickets (org_id, number, subject, channel, contact_id, status, created_at, updated_at)
      select ${org.orgId}, g, 'Case ' || g, 'email', ${contact}::uuid,
             case when g in (5, 61, 117) then 'pending' else 'open' end,
             now() - interval '1 day' + g * interval '1 second', now() - interval '1 day' + g * interval '1 second'
      from generate_series(1, 120) g`);
    await db.execute(sql`
      insert into ticket_messages (org_id, ticket_id, kind, channel, body, created_at)
      select org_id, id, 'reply', 'email',
             'Kiosk screen frozen' || case when number % 10 = 0 then ', a walrus sticker on it' else '' end,
             created_at
      from tickets where org_id = ${org.orgId}`);
    const newest = (count: number, every = 1) =>
      Array.from({ length: count }, (_, k) => `Case ${120 - k * every}`);
    const saved = { ...searchLimits };
    Object.assign(searchLimits, { sortCap: 50, walkWindow: 40 });
    try {
      const common = await searchEverything(org.ctx("agent"), { q: "kiosk" });
      expect(common.tickets.map((t) => t.subject)).toEqual(newest(20));

      const rarer = await searchEverything(org.ctx("agent"), { q: "walrus" });
      expect(rarer.tickets.map((t) => t.subject)).toEqual(newest(12, 10));
      expect(rarer.ticketFacets).toEqual({ status: { open: 12 }, priority: { normal: 12 }, capped: false });

      const pending = await searchEverything(org.ctx("agent"), { q: "kiosk", status: "pending" });
      expect(pending.tickets.map((t) => t.subject)).toEqual(["Case 117", "Case 61", "Case 5"]);
    } finally {
      Object.assign(searchLimits, saved);
    }
    // With the real limits: sorted in one go.
    const sorted = await searchEverything(org.ctx("agent"), { q: "kiosk" });
    expect(sorted.tickets.map((t) => t.subject)).toEqual(newest(20));
    expect(sorted.ticketFacets.status).toEqual({ open: 117, pending: 3 });
  });
});

describe("the organization's search language", () => {
  test("admins choose a configuration Postgres has; others cannot", async () => {
    const org = await createOrg("SearchLanguage");
    const settings = await getSearchSettings(org.ctx("admin"));
    expect(settings.config).toBe("english");
    expect(settings.choices).toEqual(expect.arrayContaining(["english", "simple", "french", "indonesian"]));
    await expect(saveSearchSettings(org.ctx("admin"), { config: "klingon" })).rejects.toMatchObject({
      status: 422,
      fields: { config: expect.any(String) },
    });
    await expect(saveSearchSettings(org.ctx("supervisor"), { config: "simple" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(getSearchSettings(org.ctx("agent"))).rejects.toMatchObject({ status: 403 });
    expect(await saveSearchSettings(org.ctx("admin"), { config: "english" })).toEqual({ changed: false });
  });

  test("indexing and queries follow it: new text at once, older text once re-indexed", async () => {
    const { db } = await testDatabase();
    const org = await createOrg("SearchStemming");
    await createTicket(org.ctx("customer"), {
      subject: "Wifi drops",
      body: "Lost the connection twice today.",
    });
    const article = await createArticle(org.ctx("agent"), {
      title: "Connections that drop",
      body: "<p>Restart the router.</p>",
    });
    await setArticleStatus(org.ctx("supervisor"), article.id, "published");
    const helpTitles = async (q: string) =>
      (await searchHelp(db, readerFor(org.orgId, null), q)).filter((a) => !a.typo).map((a) => a.title);
    // English stems "connections" and "connection" alike. (Quoted: no prefix of the last word.)
    expect(await subjects(org, '"connections"')).toEqual(["Wifi drops"]);
    expect(await helpTitles('"connection"')).toEqual(["Connections that drop"]);

    expect(await saveSearchSettings(org.ctx("admin"), { config: "simple" })).toEqual({ changed: true });
    expect(await searchConfigOf(db, org.orgId)).toBe("simple");
    const queued = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.orgId, org.orgId), eq(jobs.queue, SEARCH_REINDEX_QUEUE)));
    expect(queued).toHaveLength(1);
    expect((await getSearchSettings(org.ctx("admin"))).reindexing).toBe(true);

    // Written after the change: indexed as typed at once.
    await createTicket(org.ctx("customer"), { subject: "Router runs hot", body: "It runs hot all day." });
    expect(await subjects(org, '"runs"')).toEqual(["Router runs hot"]);
    expect(await subjects(org, '"running"')).toEqual([]);

    expect(await reindexOrgSearch(db, org.orgId, { batch: 1 })).toEqual({ tickets: 2, articles: 1 });
    expect(await subjects(org, '"connections"')).toEqual([]);
    expect(await subjects(org, '"connection"')).toEqual(["Wifi drops"]);
    expect(await helpTitles('"connection"')).toEqual([]);
    expect(await helpTitles('"connections"')).toEqual(["Connections that drop"]);

    // Another language's stemming, on both databases.
    await saveSearchSettings(org.ctx("admin"), { config: "french" });
    await createTicket(org.ctx("customer"), {
      subject: "Chevaux au parking",
      body: "Deux chevaux bloquent.",
    });
    expect(await subjects(org, '"cheval"')).toEqual(["Chevaux au parking"]);
    // The other organizations keep English.
    expect(await searchConfigOf(db, home.orgId)).toBe("english");
  });
});
