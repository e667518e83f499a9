// Chat pages: the customer's form turns into a ticket form when nobody is online; a chat's live
// stream announces new messages; agents' inbox keeps them online.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Client, createOrg, type Fixture, parse, signedIn } from "../../test/helpers";
import { touchPresence } from "../domain/chat/chat";

let org: Fixture;
let customer: Client;
let agent: Client;

beforeAll(async () => {
  org = await createOrg("Chatpages");
  customer = await signedIn(org, "customer");
  agent = await signedIn(org, "agent");
});

describe("chat pages", () => {
  test("with nobody online, the chat form becomes a ticket form keeping the text", async () => {
    const response = await customer.post("/portal/chat", { body: "Is anyone there?" });
    expect(response.status).toBe(409);
    const document = parse(await response.text());
    expect(document.querySelector("form")?.getAttribute("action")).toBe("/portal/tickets");
    expect(document.querySelector("#body")?.textContent).toBe("Is anyone there?");
  });

  test("an agent with the inbox open is online; the customer chats and the agent sees it live", async () => {
    expect((await agent.get("/desk/chats")).status).toBe(200);
    const started = await customer.post("/portal/chat", { body: "My heater clicks" });
    expect(started.status).toBe(303);
    const path = started.headers.get("location") as string;
    expect(path).toMatch(/^\/portal\/chat\/[0-9a-f-]{36}$/);
    const chatId = path.split("/").pop() as string;
    expect((await customer.get("/portal/chat")).headers.get("location")).toBe(path);

    const inbox = await agent.page("/desk/chats");
    expect(inbox.document.querySelector(`a[href="/desk/chats/${chatId}"]`)?.textContent).toBe(
      "Carol Customer",
    );

    // The agent's chat page listens; the customer's next message arrives on its stream.
    const controller = new AbortController();
    const live = await agent.request(`/desk/chats/${chatId}/live`, { signal: controller.signal });
    const reader = (live.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the retry line
    expect((await agent.post(`/desk/chats/${chatId}/accept`, {})).status).toBe(303);
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("event: chat-changed");
    controller.abort();

    const reply = await agent.post(`/desk/chats/${chatId}/messages`, { body: "Which model is it?" });
    expect(reply.status).toBe(303);
    const transcript = await customer.page(`/portal/chat/${chatId}/transcript`);
    expect(transcript.document.querySelector(".thread")?.textContent).toContain("Which model is it?");

    const empty = await customer.post(`/portal/chat/${chatId}/messages`, { body: "" });
    expect(empty.status).toBe(422);

    const ended = await agent.post(`/desk/chats/${chatId}/end`, {});
    expect(ended.headers.get("location")).toMatch(/^\/desk\/tickets\/TKT-\d{6}$/);
  });

  test("presence lapses a minute after the inbox was last open", async () => {
    const quiet = await createOrg("Chatquiet");
    await touchPresence(quiet.ctx("agent", new Date(Date.now() - 5 * 60_000)));
    const client = await signedIn(quiet, "customer");
    expect((await client.post("/portal/chat", { body: "hello" })).status).toBe(409);
  });
});
