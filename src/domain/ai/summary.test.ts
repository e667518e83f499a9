import { describe, expect, test } from "bun:test";
import { draftReplyOffline, fillPlaceholders, type KnowledgeSource, retrieveSources } from "./reply";
import { summarizeThread } from "./summary";

const thread = [
  {
    author: "Aina (customer)",
    text: "Hello team,\nThe backup generator at our Shah Alam warehouse fails to start during the weekly test. The control panel shows fault code E42 after three crank attempts. We had a power cut yesterday and the warehouse ran on mains only.\nThanks,\nAina",
  },
  {
    author: "Ravi (agent)",
    text: "Hi Aina, thanks for the details. Fault code E42 on this generator model usually means low starting battery voltage. Could you tell us when the generator battery was last replaced?",
  },
  {
    author: "Aina (customer)",
    text: "The battery is from 2021, I think. The weather has been very hot lately.",
  },
  {
    author: "Ravi (agent)",
    text: "Thanks. A technician will replace the generator starting battery on Thursday morning and rerun the weekly test.",
  },
];

describe("extractive summary", () => {
  test("keeps the problem and where it stands, with who said it, in thread order", () => {
    const summary = summarizeThread(thread, 3);
    expect(summary.sentences).toHaveLength(3);
    expect(summary.sentences[0]).toMatchObject({
      author: "Aina (customer)",
      text: "The backup generator at our Shah Alam warehouse fails to start during the weekly test.",
    });
    expect(summary.sentences.at(-1)!.author).toBe("Ravi (agent)");
    expect(summary.text).toContain("Ravi (agent): A technician will replace the generator starting battery");
    expect(summary.text).not.toMatch(/weather|Hello team|^Thanks/m);
    const order = summary.sentences.map((s) => s.messageIndex);
    expect([...order].sort()).toEqual(order);
  });

  test("an empty thread has an empty summary", () => {
    expect(summarizeThread([{ author: "x", text: "Thanks!" }]).text).toBe("");
  });
});

const sources: KnowledgeSource[] = [
  {
    id: "kb1",
    kind: "article",
    title: "Generator fails to start: fault code E42",
    body: "Fault code E42 means the starting battery voltage is too low. Check the battery terminals for corrosion. Replace starting batteries older than three years. After replacing, run the weekly test again.",
  },
  {
    id: "m1",
    kind: "macro",
    title: "Password reset",
    body: "Hi {{contact.first_name}}, I have sent a password reset link for ticket {{ticket.number}}. {{agent.name}}",
  },
  {
    id: "kb2",
    kind: "article",
    title: "Booking a preventive maintenance visit",
    body: "Open the portal and choose a slot.",
  },
];

const values = { contact: { first_name: "Aina" }, ticket: { number: "TKT-000123" }, agent: { name: "Ravi" } };

describe("reply drafts", () => {
  test("retrieval ranks the matching article first", () => {
    const found = retrieveSources("generator won't start, panel shows E42", sources);
    expect(found[0].source.id).toBe("kb1");
    expect(found.map((f) => f.source.id)).not.toContain("kb2");
  });

  test("the draft grounds in the best article and fills the placeholders", () => {
    const draft = draftReplyOffline("Our generator fails to start with fault code E42", sources, values);
    expect(draft.sources[0].source.id).toBe("kb1");
    expect(draft.text).toStartWith("Hi Aina,");
    expect(draft.text).toContain("TKT-000123");
    expect(draft.text).toContain("starting battery voltage is too low");
    expect(draft.text).toEndWith("Ravi");
    expect(draft.missing).toEqual([]);
    expect(draft.confidence).toBeGreaterThan(0.2);
  });

  test("a macro is used as written", () => {
    const draft = draftReplyOffline("please reset my password", sources, values);
    expect(draft.text).toBe("Hi Aina, I have sent a password reset link for ticket TKT-000123. Ravi");
  });

  test("unknown placeholders stay visible and are reported", () => {
    expect(fillPlaceholders("Dear {{contact.first_name}} from {{ contact.company }}", values)).toEqual({
      text: "Dear Aina from {{ contact.company }}",
      missing: ["contact.company"],
    });
  });
});
