import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BreakerOpenError, CircuitBreaker } from "./breaker";
import { trainClassifier } from "./classifier";
import { withFallback } from "./fallback";
import { syntheticTickets } from "./fixtures";
import { createHuggingFaceProvider, type HuggingFaceOptions, labelValence } from "./huggingface";
import { createLocalProvider } from "./local-provider";

/** A local stand-in for Hugging Face endpoints: one path per model slot, plus slow and failing ones. */
const hits: Record<string, number> = {};
const authorizations: string[] = [];
let server: ReturnType<typeof Bun.serve>;

function wordVector(text: string): number[] {
  const vector = new Array(26).fill(0);
  for (const ch of text.toLowerCase()) if (ch >= "a" && ch <= "z") vector[ch.charCodeAt(0) - 97]++;
  return vector;
}

async function fakeInference(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  hits[path] = (hits[path] ?? 0) + 1;
  authorizations.push(request.headers.get("authorization") ?? "");
  const body = (await request.json()) as { inputs: unknown; parameters?: { candidate_labels: string[] } };
  switch (path) {
    case "/zero-shot": {
      const labels = body.parameters!.candidate_labels;
      const text = String(body.inputs).toLowerCase();
      const hit = labels.find((l) => text.includes(l.toLowerCase().split(" ")[0])) ?? labels[0];
      const ordered = [hit, ...labels.filter((l) => l !== hit)];
      const rest = (1 - 0.9) / (labels.length - 1);
      return Response.json({
        sequence: text,
        labels: ordered,
        scores: ordered.map((_, i) => (i ? rest : 0.9)),
      });
    }
    case "/sentiment":
      return Response.json([
        [
          { label: "5 stars", score: 0.7 },
          { label: "4 stars", score: 0.2 },
          { label: "1 star", score: 0.1 },
        ],
      ]);
    case "/summarize":
      return Response.json([{ summary_text: " The generator needs a new battery. " }]);
    case "/chat/v1/chat/completions":
      return Response.json({
        id: "x",
        created: 0,
        model: "fake",
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: {
              role: "assistant",
              content:
                "Hi {{contact.first_name}},\nPlease replace the starting battery (ticket {{ticket.number}}).\nBest regards,\n{{agent.name}}",
            },
          },
        ],
      });
    case "/embed":
      return Response.json((body.inputs as string[]).map(wordVector));
    case "/slow":
      await Bun.sleep(2_000);
      return Response.json([[{ label: "positive", score: 1 }]]);
    default:
      return Response.json({ error: "model crashed" }, { status: 500 });
  }
}

beforeAll(() => {
  server = Bun.serve({ port: 0, fetch: fakeInference });
});
afterAll(() => server.stop(true));

function huggingFace(overrides: Partial<HuggingFaceOptions> = {}) {
  const base = `http://127.0.0.1:${server.port}`;
  return createHuggingFaceProvider({
    token: "hf_test",
    models: { categorize: "facebook/bart-large-mnli", chat: "meta-llama/Llama-3.1-8B-Instruct" },
    endpoints: {
      categorize: `${base}/zero-shot`,
      sentiment: `${base}/sentiment`,
      summarize: `${base}/summarize`,
      chat: `${base}/chat`,
      embeddings: `${base}/embed`,
    },
    // Generous: a loaded machine must not turn a healthy fake endpoint into a timeout.
    timeoutMs: 5_000,
    ...overrides,
  });
}

const choices = [
  { value: "c1", name: "Billing" },
  { value: "c2", name: "Network" },
  { value: "c3", name: "Hardware" },
];

const local = createLocalProvider({ classifiers: { category: trainClassifier(syntheticTickets(300)) } });

describe("Hugging Face provider against a fake endpoint", () => {
  test("categorize maps the zero-shot labels back to the field's values", async () => {
    const result = await huggingFace().categorize({ field: "category", text: "network is down", choices });
    expect(result).toMatchObject({
      provider: "huggingface",
      modelVersion: "facebook/bart-large-mnli",
      confidence: 0.9,
      value: { label: "c2", action: "apply" },
    });
    expect(result.value.ranking.map((r) => r.label)).toEqual(["c2", "c1", "c3"]);
    expect(authorizations.at(-1)).toBe("Bearer hf_test");
  });

  test("sentiment turns star ratings into a level", async () => {
    const result = await huggingFace().sentiment({ text: "great job" });
    expect(result.value.level).toBe("very_positive");
    expect(result.value.score).toBeCloseTo(0.7 + 0.2 * 0.5 - 0.1, 5);
    expect(result.confidence).toBe(0.7);
    expect(result.modelVersion).toEndWith("/sentiment");
  });

  test("summaries, reply drafts and similar tickets parse the endpoint's answers", async () => {
    const provider = huggingFace();
    const summary = await provider.summarize({
      messages: [{ author: "Aina", text: "The generator fails." }],
    });
    expect(summary.value.text).toBe("The generator needs a new battery.");

    const reply = await provider.suggestReply({
      query: "generator will not start",
      sources: [
        { id: "kb1", kind: "article", title: "Generator will not start", body: "Replace the battery." },
        { id: "kb2", kind: "article", title: "Invoices", body: "Download them from the portal." },
      ],
      placeholders: {
        contact: { first_name: "Aina" },
        ticket: { number: "TKT-000007" },
        agent: { name: "Ravi" },
      },
    });
    expect(reply.value.draft).toBe(
      "Hi Aina,\nPlease replace the starting battery (ticket TKT-000007).\nBest regards,\nRavi",
    );
    expect(reply.value.sources[0].source.id).toBe("kb1");
    expect(reply.modelVersion).toBe("meta-llama/Llama-3.1-8B-Instruct");

    const similar = await provider.similarTickets({
      ticket: { text: "printer jams on floor two" },
      candidates: [
        { id: "a", text: "zzz qqq xxx" },
        { id: "b", text: "printer jams on floor two" },
      ],
    });
    expect(similar.value[0]).toMatchObject({ id: "b", likelyDuplicate: true });
    expect(similar.value.map((m) => m.id)).not.toContain("a");
  });

  test("documents are ranked by embedding similarity", async () => {
    const ranked = await huggingFace().rankDocuments({
      query: "printer jams",
      documents: [
        { id: "far", text: "zzz qqq" },
        { id: "near", text: "the printer jams" },
      ],
      limit: 1,
    });
    expect(ranked.value).toHaveLength(1);
    expect(ranked.value[0].id).toBe("near");
    expect(ranked.provider).toBe("huggingface");
  });

  test("a slow endpoint times out", async () => {
    const slow = huggingFace({
      endpoints: { sentiment: `http://127.0.0.1:${server.port}/slow` },
      timeoutMs: 100,
    });
    const error = await slow.sentiment({ text: "hello" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("TimeoutError");
  });

  test("tasks without a model are not supported", () => {
    const provider = huggingFace({ endpoints: {}, models: { chat: "m" } });
    expect(provider.supports!("suggestReply")).toBe(true);
    expect(provider.supports!("sentiment")).toBe(false);
  });

  test("sentiment labels of common models", () => {
    expect(labelValence("1 star", 5)).toBe(-1);
    expect(labelValence("4 stars", 5)).toBe(0.5);
    expect(labelValence("negative", 3)).toBe(-0.6);
    expect(labelValence("Very Positive", 5)).toBe(1);
    const cardiff = [{ label: "LABEL_0" }, { label: "LABEL_1" }, { label: "LABEL_2" }];
    expect(cardiff.map((c) => labelValence(c.label, 3, cardiff))).toEqual([-1, 0, 1]);
  });
});

describe("circuit breaker", () => {
  test("opens after repeated failures, probes after the cool-down, closes on success", async () => {
    let now = 1_000;
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000, now: () => now });
    let calls = 0;
    const fail = () => {
      calls++;
      return Promise.reject(new Error("down"));
    };
    const succeed = () => {
      calls++;
      return Promise.resolve("ok");
    };

    for (let i = 0; i < 2; i++) await expect(breaker.run(fail)).rejects.toThrow("down");
    expect(breaker.state).toBe("closed");
    await expect(breaker.run(fail)).rejects.toThrow("down");
    expect(breaker.state).toBe("open");

    await expect(breaker.run(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(calls).toBe(3);

    now += 10_000;
    expect(breaker.state).toBe("half-open");
    await expect(breaker.run(fail)).rejects.toThrow("down");
    expect(breaker.state).toBe("open");

    now += 9_999;
    expect(breaker.state).toBe("open");
    now += 1;
    await expect(breaker.run(succeed)).resolves.toBe("ok");
    expect(breaker.state).toBe("closed");
    await expect(breaker.run(fail)).rejects.toThrow("down");
    expect(breaker.state).toBe("closed");
  });

  test("half-open lets a single probe through", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 5, now: () => now });
    await breaker.run(() => Promise.reject(new Error("down"))).catch(() => {});
    now = 5;
    let release!: (value: string) => void;
    const probe = breaker.run(() => new Promise<string>((resolve) => (release = resolve)));
    await expect(breaker.run(() => Promise.resolve("second"))).rejects.toBeInstanceOf(BreakerOpenError);
    release("probe");
    expect(await probe).toBe("probe");
    expect(breaker.state).toBe("closed");
  });
});

describe("fallback to the local provider", () => {
  test("a failing endpoint is answered locally, marked, and opens the breaker", async () => {
    const now = 0;
    const failing = huggingFace({ endpoints: { categorize: `http://127.0.0.1:${server.port}/broken` } });
    const reasons: string[] = [];
    const provider = withFallback(failing, local, {
      breaker: { failureThreshold: 2, coolDownMs: 60_000, now: () => now },
      onFallback: (_task, reason) => reasons.push(reason),
    });
    const request = { field: "category", text: "wifi and vpn keep dropping", choices: [] };
    const first = await provider.categorize(request);
    expect(first.provider).toBe("local");
    expect(first.value.label).toBe("network");
    expect(first.fallback).toEqual({
      from: "huggingface",
      reason: "Failed to perform inference: model crashed",
    });

    await provider.categorize(request);
    expect(provider.breakers.categorize.state).toBe("open");
    const before = hits["/broken"];
    const third = await provider.categorize(request);
    expect(hits["/broken"]).toBe(before);
    expect(third.fallback?.reason).toBe("circuit open");
    expect(reasons).toEqual([first.fallback!.reason, first.fallback!.reason, "circuit open"]);
    expect(provider.breakers.sentiment.state).toBe("closed");
  });

  test("a timeout falls back too; a working endpoint answers itself", async () => {
    const provider = withFallback(
      huggingFace({ endpoints: { sentiment: `http://127.0.0.1:${server.port}/slow` }, timeoutMs: 100 }),
      local,
    );
    const slow = await provider.sentiment({ text: "thanks, all fixed" });
    expect(slow).toMatchObject({ provider: "local", fallback: { from: "huggingface", reason: "timeout" } });
    expect(slow.value.level).toBe("positive");
    const remote = await withFallback(huggingFace(), local).sentiment({ text: "great" });
    expect(remote.provider).toBe("huggingface");
    expect(remote.fallback).toBeUndefined();
  });

  test("unconfigured tasks go to the local provider unmarked; a caller's abort is not answered", async () => {
    const provider = withFallback(huggingFace({ endpoints: {}, models: {} }), local);
    const result = await provider.sentiment({ text: "terrible" });
    expect(result.provider).toBe("local");
    expect(result.fallback).toBeUndefined();

    const controller = new AbortController();
    const slow = withFallback(
      huggingFace({ endpoints: { sentiment: `http://127.0.0.1:${server.port}/slow` }, timeoutMs: 5_000 }),
      local,
    );
    const pending = slow.sentiment({ text: "hello" }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow();
  });
});

describe("local provider", () => {
  test("categorize keeps to the allowed choices and reports the model version", async () => {
    const model = trainClassifier(syntheticTickets(300));
    const provider = createLocalProvider({ classifiers: { category: model } });
    const result = await provider.categorize({
      field: "category",
      text: "printer toner is empty",
      choices: [
        { value: "hardware", name: "Hardware" },
        { value: "billing", name: "Billing" },
      ],
    });
    expect(result.modelVersion).toBe(model.version);
    expect(result.value.ranking.map((r) => r.label).sort()).toEqual(["billing", "hardware"]);
    expect(result.value.label).toBe("hardware");
    expect(result.value.ranking[0].probability + result.value.ranking[1].probability).toBeCloseTo(1, 6);
  });

  test("documents are ranked by shared terms", async () => {
    const ranked = await local.rankDocuments({
      query: "reset my portal password",
      documents: [
        { id: "kb-invoices", text: "Download invoices from the billing page" },
        { id: "kb-password", text: "How to reset a forgotten portal password" },
      ],
    });
    expect(ranked.value.map((d) => d.id)).toEqual(["kb-password", "kb-invoices"]);
    expect(ranked.value[0].score).toBeGreaterThan(ranked.value[1].score);
  });

  test("a field without a trained model suggests nothing", async () => {
    const result = await createLocalProvider({ classifiers: {} }).categorize({
      field: "team",
      text: "anything",
      choices: [],
    });
    expect(result).toMatchObject({
      confidence: 0,
      modelVersion: "untrained",
      value: { label: null, action: "suggest" },
    });
  });
});

describe("choosing the provider", () => {
  test("local unless Hugging Face is configured", async () => {
    const { createAiProvider } = await import("./index");
    expect(createAiProvider({}, { classifiers: {} }).name).toBe("local");
    const remote = createAiProvider(
      { hfEndpointUrl: `http://127.0.0.1:${server.port}/sentiment`, models: { sentiment: "fake" } },
      { classifiers: {} },
    );
    expect(remote.name).toBe("huggingface");
    expect((await remote.sentiment({ text: "fine" })).provider).toBe("huggingface");
    expect((await remote.summarize({ messages: [] })).provider).toBe("local");
  });
});
