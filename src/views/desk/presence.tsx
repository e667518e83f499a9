// Who else is on the ticket: refreshed when the live stream announces a change of presence, and
// reported by two small forms — a heartbeat every 20 s and a "typing" report while the reply box is
// typed in. Without JavaScript none of this runs and the page works as before.
import type { Viewer } from "../../domain/tickets/presence";
import { CsrfField } from "../form";

export function Viewers({ viewers }: { viewers: Viewer[] }) {
  if (viewers.length === 0) return <span class="muted">No one else has this ticket open.</span>;
  return (
    <ul class="viewers">
      {viewers.map((v) => (
        <li class={v.typing ? "typing" : ""} safe>
          {v.typing ? `${v.name} is typing a reply…` : `${v.name} is viewing`}
        </li>
      ))}
    </ul>
  );
}

export function Presence({ number, ticketId, csrf }: { number: string; ticketId: string; csrf: string }) {
  const path = `/desk/tickets/${number}/presence`;
  return (
    <div class="presence">
      <div
        id="viewers"
        aria-live="polite"
        hx-get={path}
        hx-trigger={`presence-${ticketId} from:#live delay:200ms`}
        hx-swap="innerHTML"
      />
      <form hx-post={path} hx-trigger="load, every 20s" hx-target="#viewers" hx-swap="innerHTML" hidden>
        <CsrfField token={csrf} />
      </form>
      <form
        hx-post={path}
        hx-trigger="input from:#body throttle:4s"
        hx-target="#viewers"
        hx-swap="innerHTML"
        hidden
      >
        <CsrfField token={csrf} />
        <input type="hidden" name="typing" value="1" />
      </form>
    </div>
  );
}
