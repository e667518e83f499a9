// Collision detection on the agent's ticket page: the page reports itself (and typing), and reads
// who else is there. Fragments for htmx; the ticket page itself works without them.
import { Elysia } from "elysia";
import { reportPresence, ticketViewersOf } from "../domain/tickets/presence";
import { Viewers } from "../views/desk/presence";
import type { Deps } from "./deps";
import { ticketNumberParam } from "./desk";
import { field, requireUserWith, webContext } from "./web";

export function presenceRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/desk/tickets/:number/presence", async ({ user, ctxFor, params, set }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      set.headers["cache-control"] = "no-store";
      return <Viewers viewers={await ticketViewersOf(ctx, ticketNumberParam(params.number))} />;
    })
    .post("/desk/tickets/:number/presence", async ({ user, ctxFor, params, body }) => {
      const ctx = ctxFor(requireUserWith(user, "tickets.read_all"));
      const viewers = await reportPresence(
        ctx,
        ticketNumberParam(params.number),
        field(body, "typing") === "1",
      );
      return <Viewers viewers={viewers} />;
    });
}
