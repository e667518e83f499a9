// Fans committed events out to this server's live connections (SSE). Fed by LISTEN, so an event
// written by any app server reaches the browsers connected to every app server.
import type { Database } from "../../../db/client";
import { EVENTS_CHANNEL, type LiveEvent } from "./log";

type Listener = (event: LiveEvent) => void;

export class EventBus {
  private listeners = new Set<Listener>();
  private stop?: () => Promise<void>;

  async start(database: Database): Promise<void> {
    this.stop = await database.listen(EVENTS_CHANNEL, (payload) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(payload);
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.stop?.();
    this.listeners.clear();
  }
}
