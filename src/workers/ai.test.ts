import { afterAll, describe, expect, test } from "bun:test";
import { deserializeClassifier, predict } from "../domain/ai";
import { syntheticTickets } from "../domain/ai/fixtures";
import { startAiWorker } from "./ai-client";

const worker = startAiWorker();
afterAll(() => worker.terminate());

describe("AI worker", () => {
  test("trains off the main thread and predicts like the model it returned", async () => {
    const trained = await worker.train(syntheticTickets(300));
    expect(trained.version).toMatch(/^[0-9a-f]{16}$/);
    const texts = ["the vpn and wifi are down", "refund the double payment on my card"];
    const [network, billing] = await worker.predict(trained.model, texts);
    expect(network.label).toBe("network");
    expect(billing.label).toBe("billing");
    expect(network).toEqual(predict(deserializeClassifier(trained.model), texts[0]));
  });

  test("errors come back as rejections", async () => {
    await expect(worker.train([{ text: "only one label", label: "x" }])).rejects.toThrow(
      "at least two labels",
    );
  });
});
