import { describe, expect, test } from "bun:test";
import { estimatedJaccard, findSimilarTickets, minHashSignature } from "./similar";
import { DEFAULT_TERM_OPTIONS, terms } from "./text";
import { fitTfIdfTerms } from "./tfidf";

const candidates = [
  { id: "t1", contactId: "c9", text: "Invoice INV-000041 shows the wrong amount for the March visit" },
  {
    id: "t2",
    contactId: "c1",
    text: "The air conditioner in meeting room 3 is leaking water onto the floor since this morning",
  },
  { id: "t3", contactId: "c2", text: "Air conditioner in the lobby makes a loud noise when it starts" },
  { id: "t4", contactId: "c1", text: "Please reset my password for the customer portal" },
];

describe("similar tickets", () => {
  test("the resent ticket is found first and flagged as a likely duplicate", () => {
    const matches = findSimilarTickets(
      {
        contactId: "c1",
        text: "Air conditioner in meeting room 3 is leaking water onto the floor since this morning!!",
      },
      candidates,
    );
    expect(matches[0]).toMatchObject({ id: "t2", likelyDuplicate: true, sameContact: true });
    expect(matches[0].score).toBeGreaterThan(0.85);
    const sameTopic = matches.find((m) => m.id === "t3");
    expect(sameTopic?.likelyDuplicate).toBe(false);
    expect(sameTopic!.score).toBeLessThan(matches[0].score);
    expect(matches.map((m) => m.id)).not.toContain("t1");
  });

  test("nothing similar gives nothing", () => {
    expect(
      findSimilarTickets({ text: "Technician arrived late to the generator service" }, candidates),
    ).toEqual([]);
  });

  test("a candidate compared again scores as the first time; an edited one scores on its new text", () => {
    const query = { contactId: "c1", text: "The air conditioner in meeting room 3 is leaking water" };
    const first = findSimilarTickets(query, candidates);
    expect(findSimilarTickets(query, candidates)).toEqual(first);
    const edited = candidates.map((c) =>
      c.id === "t2" ? { ...c, text: "Please reset my password for the customer portal today" } : c,
    );
    const after = findSimilarTickets(query, edited);
    expect(after.map((m) => m.id)).not.toContain("t2");
    expect(after[0]).toMatchObject({ id: "t3" });
  });

  test("scores equal the cosines of TF-IDF vectors in a space fitted on the query and candidates", () => {
    const query = { text: "Air conditioner in meeting room 3 leaking water; the air conditioner drips" };
    const many = [
      ...candidates,
      ...candidates.map((c, i) => ({ ...c, id: `${c.id}-again`, text: `${c.text} ${"water ".repeat(i)}` })),
    ];
    const texts = [query.text, ...many.map((c) => c.text)].map((t) => terms(t, DEFAULT_TERM_OPTIONS));
    const space = fitTfIdfTerms(texts, { minDocumentFrequency: 1, termOptions: DEFAULT_TERM_OPTIONS });
    const everything = { minScore: 0, duplicateScore: 2, duplicateOverlap: 2, limit: many.length };
    const byId = (matches: { id: string; score: number }[]) =>
      Object.fromEntries(matches.map((m) => [m.id, m.score]));
    const direct = byId(findSimilarTickets(query, many, everything));
    const fitted = byId(findSimilarTickets(query, many, { ...everything, space }));
    expect(Object.keys(direct).sort()).toEqual(many.map((c) => c.id).sort());
    for (const id of Object.keys(fitted)) expect(direct[id]).toBeCloseTo(fitted[id], 5);
    expect(direct.t2).toBeGreaterThan(0.5);
  });

  test("MinHash estimates shared wording", () => {
    const base = "the printer on the second floor jams every time someone prints a double sided page";
    const same = estimatedJaccard(minHashSignature(base), minHashSignature(base));
    const edited = estimatedJaccard(minHashSignature(base), minHashSignature(`${base} again today`));
    const other = estimatedJaccard(
      minHashSignature(base),
      minHashSignature("my laptop battery drains very fast"),
    );
    expect(same).toBe(1);
    expect(edited).toBeGreaterThan(0.6);
    expect(other).toBeLessThan(0.1);
  });
});
