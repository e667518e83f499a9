// Server-sent events for the desk: every committed change in the organization is announced as
// "tickets-changed" (lists refresh) and "ticket-<id>" (that ticket's page refreshes).
import type { EventBus } from "../domain/events/bus";

const HEARTBEAT_MS = 25_000;

export function liveStream(bus: EventBus, orgId: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 2000\n\n");
      const unsubscribe = bus.subscribe((event) => {
        if (event.orgId !== orgId || !event.ticketId) return;
        send(`event: tickets-changed\ndata: ${event.ticketId}\n\n`);
        send(`event: ticket-${event.ticketId}\ndata: ${event.type}\n\n`);
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {}
      };
      signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}

/**
 * Chat pages: "chat-changed" whenever a chat event arrives — for one chat (its page), or any chat
 * of the organization (the agents' inbox). `onHeartbeat` runs with each keep-alive: the inbox uses
 * it to keep the agent marked online while the page is open.
 */
export function chatStream(
  bus: EventBus,
  orgId: string,
  chatId: string | null,
  signal: AbortSignal,
  onHeartbeat?: () => void,
): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send("retry: 2000\n\n");
      const unsubscribe = bus.subscribe((event) => {
        if (event.orgId !== orgId || !event.chatId) return;
        if (chatId && event.chatId !== chatId) return;
        send(`event: chat-changed\ndata: ${event.type}\n\n`);
      });
      const heartbeat = setInterval(() => {
        send(": keep-alive\n\n");
        onHeartbeat?.();
      }, HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {}
      };
      signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}
