// Server-sent events. The desk: every committed change in the organization is announced as
// "tickets-changed" (lists refresh) and "ticket-<id>" (that ticket's page refreshes). Chat pages:
// "chat-changed" for one chat, or for any chat of the organization (the agents' inbox).
import type { EventBus } from "../domain/events/bus";
import type { LiveEvent } from "../domain/events/log";

const HEARTBEAT_MS = 25_000;

/**
 * A stream that turns the bus's events into server-sent events: `render` gives the text for an
 * event (or nothing), a keep-alive goes out every 25 s, and closing either side unsubscribes.
 */
function eventStream(
  bus: EventBus,
  signal: AbortSignal,
  render: (event: LiveEvent) => string | undefined,
  onHeartbeat?: () => void,
  initial = "",
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
      send(`retry: 2000\n\n${initial}`);
      const unsubscribe = bus.subscribe((event) => {
        const text = render(event);
        if (text) send(text);
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

/** The desk's stream; `userId`'s own notifications ring its bell ("notifications"). */
export function liveStream(bus: EventBus, orgId: string, signal: AbortSignal, userId?: string): Response {
  return eventStream(bus, signal, (event) => {
    if (event.orgId !== orgId) return undefined;
    if (event.type === "notification.created")
      return userId && event.userIds?.includes(userId) ? "event: notifications\ndata: new\n\n" : undefined;
    // Someone opened the ticket or typed: only its viewers list refreshes.
    if (event.type === "presence.changed")
      return event.ticketId ? `event: presence-${event.ticketId}\ndata: \n\n` : undefined;
    // Events announced together name all their tickets: lists refresh once, each ticket's page once.
    const ids = event.ticketIds ?? (event.ticketId ? [event.ticketId] : []);
    if (ids.length === 0) return undefined;
    const pages = ids.map((id) => `event: ticket-${id}\ndata: ${event.type}\n\n`).join("");
    return `event: tickets-changed\ndata: ${ids.length === 1 ? ids[0] : ""}\n\n${pages}`;
  });
}

/** `onHeartbeat` keeps an agent marked online while the chat inbox is open. */
export function chatStream(
  bus: EventBus,
  orgId: string,
  chatId: string | null,
  signal: AbortSignal,
  onHeartbeat?: () => void,
): Response {
  return eventStream(
    bus,
    signal,
    (event) => {
      if (event.orgId !== orgId || !event.chatId) return undefined;
      if (chatId && event.chatId !== chatId) return undefined;
      return `event: chat-changed\ndata: ${event.type}\n\n`;
    },
    onHeartbeat,
  );
}

/** An optimizer run's figures as one server-sent event; a finished run adds "done". */
export function runProgressEvent(run: { status: string; progress?: unknown }): string {
  const progress = `event: progress\ndata: ${JSON.stringify({ status: run.status, progress: run.progress ?? null })}\n\n`;
  return run.status === "running" ? progress : `${progress}event: done\ndata: ${run.status}\n\n`;
}

/** One optimizer run's progress: where it stands now, then each update any app server announces. */
export function optimizerRunStream(
  bus: EventBus,
  orgId: string,
  run: { id: string; status: string; progress?: unknown },
  signal: AbortSignal,
): Response {
  return eventStream(
    bus,
    signal,
    (event) =>
      event.orgId === orgId && event.runId === run.id && event.status
        ? runProgressEvent({ status: event.status, progress: event.progress })
        : undefined,
    undefined,
    runProgressEvent(run),
  );
}

/** Changes that move something on the dispatch board: visits booked, moved or started; work orders. */
const BOARD_EVENTS = new Set([
  "work_order.created",
  "work_order.scheduled",
  "work_order.status_changed",
  "appointment.moved",
  "appointment.status_changed",
  "optimizer_run.applied",
]);

/**
 * The dispatch board's stream: "board-changed" when another dispatcher or a technician changes a
 * visit (the grid and the queue refresh), "positions-changed" when a technician's position moves
 * (the map asks for the positions again).
 */
export function dispatchStream(bus: EventBus, orgId: string, signal: AbortSignal): Response {
  return eventStream(bus, signal, (event) => {
    if (event.orgId !== orgId) return undefined;
    if (BOARD_EVENTS.has(event.type)) return `event: board-changed\ndata: ${event.type}\n\n`;
    if (event.type.startsWith("technician.")) return "event: positions-changed\ndata: \n\n";
    return undefined;
  });
}
