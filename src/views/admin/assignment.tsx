// Admins choose each team's assignment strategy and cap; agents set their own availability.
import { AGENT_STATUSES, type AgentStatus } from "../../../db/schema";
import type { TeamAssignmentRow } from "../../domain/assignment/assign";
import type { FieldErrors } from "../../domain/errors";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { humanize } from "../format";
import { Page, type Viewer } from "../layout";

const STRATEGY_LABELS = {
  manual: "By hand",
  round_robin: "Round robin (each available agent in turn)",
  load_balanced: "Least loaded (open tickets weighted by priority)",
};

export function AssignmentPage({
  csrf,
  viewer,
  teams,
  notice,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  teams: TeamAssignmentRow[];
  notice?: string;
  failed?: { teamId: string; message: string; fields: FieldErrors; values: Record<string, string> };
}) {
  return (
    <Page title="Assignment" csrf={csrf} viewer={viewer}>
      <h1>Assignment</h1>
      <p class="muted">
        A ticket that arrives in a team without an assignee goes to an agent by the team's strategy, among the
        team's agents who are available (they set it on their account page) and under the team's cap. The
        ticket's history says who got it and why.
      </p>
      <Notice message={notice} />
      {teams.length === 0 ? <p class="empty">No teams yet.</p> : ""}
      {teams.map((team) => {
        const mine = failed?.teamId === team.teamId ? failed : undefined;
        const fields = mine?.fields ?? {};
        return (
          <section class="card narrow" id={`team-${team.teamId}`}>
            <h2 safe>{team.teamName}</h2>
            {mine ? <ErrorSummary message={mine.message} /> : ""}
            <form method="post" action={`/admin/assignment/${team.teamId}`}>
              <CsrfField token={csrf} />
              <Field label="Strategy" name={`strategy-${team.teamId}`} error={fields.strategy}>
                <Select
                  name="strategy"
                  id={`strategy-${team.teamId}`}
                  value={mine?.values.strategy ?? team.strategy}
                  options={Object.entries(STRATEGY_LABELS).map(([value, label]) => ({ value, label }))}
                  invalid={Boolean(fields.strategy)}
                />
              </Field>
              <Field
                label="Most open tickets per agent"
                name={`cap-${team.teamId}`}
                error={fields.maxOpenPerAgent}
                hint="Empty: no cap."
              >
                <input
                  id={`cap-${team.teamId}`}
                  name="maxOpenPerAgent"
                  inputmode="numeric"
                  maxlength="4"
                  value={
                    mine?.values.maxOpenPerAgent ??
                    (team.maxOpenPerAgent === null ? "" : String(team.maxOpenPerAgent))
                  }
                  aria-invalid={fields.maxOpenPerAgent ? "true" : undefined}
                />
              </Field>
              <button type="submit">Save</button>
            </form>
          </section>
        );
      })}
    </Page>
  );
}

/** On the account page: whether new tickets may be assigned to me automatically. */
export function AvailabilityForm({ csrf, status }: { csrf: string; status: AgentStatus }) {
  return (
    <form method="post" action="/account/availability">
      <CsrfField token={csrf} />
      <Field
        label="Availability for new tickets"
        name="availability"
        hint="Away and offline agents are passed by."
      >
        <Select
          name="availability"
          value={status}
          options={AGENT_STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
        />
      </Field>
      <button type="submit">Save availability</button>
    </form>
  );
}

/** On the ticket page: asks the team's strategy for an agent now. */
export function AssignNowButton({ csrf, number }: { csrf: string; number: string }) {
  return (
    <form method="post" action={`/desk/tickets/${number}/auto-assign`} class="inline">
      <CsrfField token={csrf} />
      <button type="submit" class="secondary">
        Assign automatically
      </button>
    </form>
  );
}
