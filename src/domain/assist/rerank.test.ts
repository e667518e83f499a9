// Search results re-ranked by a Hugging Face embeddings endpoint (a local stand-in here): in order of
// meaning when it answers, in Postgres's order when it fails, and untouched without a model.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { aiSettings } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import type { SearchResults } from "../search/search";
import { stopAiWorker } from "./engine";
import { rerankSearch } from "./rerank";

/** Letter counts: texts with the same letters embed alike, enough to tell the order apart. */
function letters(text: string): number[] {
  const vector = new Array(26).fill(0);
  for (const ch of text.toLowerCase()) if (ch >= "a" && ch <= "z") vector[ch.charCodeAt(0) - 97]++;
  return vector;
}

let server: ReturnType<typeof Bun.serve>;
let failing = false;
let org: Fixture;

beforeAll(async () => {
  server = Bun.serve({
    port: 0,
    async fetch(request) {
      if (failing) return Response.json({ error: "down" }, { status: 503 });
      const body = (await request.json()) as { inputs: string[] };
      return Response.json(body.inputs.map(letters));
    },
  });
  org = await createOrg("Rerank");
  const { db } = await testDatabase();
  await db.insert(aiSettings).values({
    orgId: org.orgId,
    models: { embeddings: `http://127.0.0.1:${server.port}/embed` },
    updatedAt: new Date(),
  });
});
afterAll(() => {
  server.stop(true);
  stopAiWorker();
});

const hit = (number: number, subject: string) => ({
  number,
  subject,
  status: "open" as const,
  priority: "normal" as const,
  snippet: "",
});

function results(): SearchResults {
  return {
    q: "refund billing",
    tickets: [hit(1, "wifi down again"), hit(2, "billing refund"), hit(3, "router lights")],
    ticketFacets: { status: {}, priority: {}, capped: false },
    contacts: [],
    companies: [],
    articles: [],
  };
}

describe("semantic re-ranking", () => {
  test("an embeddings model puts results in order of meaning and says so", async () => {
    const { db } = await testDatabase();
    const remote = { hfEndpointUrl: `http://127.0.0.1:${server.port}` };
    const ranked = await rerankSearch(db, org.orgId, remote, results());
    expect(ranked.tickets.map((t) => t.number)[0]).toBe(2);
    expect(ranked.rerankedBy).toContain("/embed");
  });

  test("a failing model leaves Postgres's order; no remote configured changes nothing", async () => {
    const { db } = await testDatabase();
    failing = true;
    const remote = { hfEndpointUrl: `http://127.0.0.1:${server.port}` };
    const kept = await rerankSearch(db, org.orgId, remote, results());
    expect(kept.tickets.map((t) => t.number)).toEqual([1, 2, 3]);
    expect(kept.rerankedBy).toBeUndefined();
    failing = false;
    const local = await rerankSearch(db, org.orgId, {}, results());
    expect(local.tickets.map((t) => t.number)).toEqual([1, 2, 3]);
  });
});
