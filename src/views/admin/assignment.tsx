// Admins choose each team's assignment strategy and cap; agents set their own availability.
import { AGENT_STATUSES, type AgentStatus } from "../../../db/schema";
import type { TeamAssignmentRow } from "../../domain/assignment/assign";
import {
  type AgentProfile,
  type CategorySkills,
  formatSkillList,
  hoursText,
} from "../../domain/assignment/profiles";
import type { FieldErrors } from "../../domain/errors";
import { WEEKDAYS } from "../../domain/sla/admin";
import { CsrfField, ErrorSummary, Field, Notice, Select } from "../form";
import { humanize } from "../format";
import { Page, type Viewer } from "../layout";

const STRATEGY_LABELS = {
  manual: "By hand",
  round_robin: "Round robin (each available agent in turn)",
  load_balanced: "Least loaded (open tickets weighted by priority)",
  skills: "Skills (agents with the skills the category needs, least loaded first)",
  weighted: "Weighted score (zone, availability, workload, rating)",
};

const WEIGHT_LABELS = {
  zone: "Zone match",
  availability: "Availability (share of the working day left)",
  workload: "Workload (spare capacity)",
  rating: "Rating (satisfaction, last 90 days)",
} as const;

export interface AssignmentExtras {
  agents: AgentProfile[];
  categories: CategorySkills[];
  /** A category's skills form that failed, with what was typed. */
  failedCategory?: { categoryId: string; error: string; value: string };
}

export function AssignmentPage({
  csrf,
  viewer,
  teams,
  notice,
  failed,
  extras,
}: {
  csrf: string;
  viewer: Viewer;
  teams: TeamAssignmentRow[];
  notice?: string;
  failed?: { teamId: string; message: string; fields: FieldErrors; values: Record<string, string> };
  extras: AssignmentExtras;
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
              <fieldset class="weights">
                <legend>Weighted score: the share of each part, in percent</legend>
                {(Object.keys(WEIGHT_LABELS) as (keyof typeof WEIGHT_LABELS)[]).map((part) => (
                  <Field
                    label={WEIGHT_LABELS[part]}
                    name={`weight_${part}-${team.teamId}`}
                    error={fields[`weight_${part}`]}
                  >
                    <input
                      id={`weight_${part}-${team.teamId}`}
                      name={`weight_${part}`}
                      inputmode="numeric"
                      maxlength="3"
                      value={mine?.values[`weight_${part}`] ?? String(team.weights[part])}
                      aria-invalid={fields[`weight_${part}`] ? "true" : undefined}
                    />
                  </Field>
                ))}
              </fieldset>
              <button type="submit">Save</button>
            </form>
          </section>
        );
      })}
      <AgentsSection agents={extras.agents} />
      <CategorySkillsSection csrf={csrf} extras={extras} />
    </Page>
  );
}

function hoursSummary(agent: AgentProfile): string {
  if (!agent.hours?.length) return "any time";
  return WEEKDAYS.map((day, i) => {
    const text = hoursText(agent.hours, i + 1);
    return text ? `${day.slice(0, 3)} ${text}` : "";
  })
    .filter(Boolean)
    .join("; ");
}

function AgentsSection({ agents }: { agents: AgentProfile[] }) {
  return (
    <section class="card" id="agents">
      <h2>Agents</h2>
      <p class="muted">
        Skills-based assignment compares their skills with the category's; the weighted score uses their zone;
        every strategy passes by agents outside their working hours.
      </p>
      <table class="agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Skills</th>
            <th>Zone</th>
            <th>Working hours</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr data-agent={a.userId}>
              <td safe>{a.name}</td>
              <td safe>{formatSkillList(a.skills) || "—"}</td>
              <td safe>{a.zoneName ?? "—"}</td>
              <td safe>{hoursSummary(a)}</td>
              <td>
                <a href={`/admin/assignment/agents/${a.userId}`}>Edit</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CategorySkillsSection({ csrf, extras }: { csrf: string; extras: AssignmentExtras }) {
  return (
    <section class="card" id="category-skills">
      <h2>Skills each category needs</h2>
      {extras.categories.length === 0 ? <p class="empty">No categories yet.</p> : ""}
      {extras.categories.map((c) => {
        const failed = extras.failedCategory?.categoryId === c.categoryId ? extras.failedCategory : undefined;
        return (
          <form method="post" action={`/admin/assignment/categories/${c.categoryId}`} class="category-skills">
            <CsrfField token={csrf} />
            <Field
              label={c.path}
              name={`skills-${c.categoryId}`}
              error={failed?.error}
              hint='e.g. "Networking 3, Billing 2" (level 1–5); empty: none.'
            >
              <input
                id={`skills-${c.categoryId}`}
                name="skills"
                value={failed?.value ?? formatSkillList(c.skills)}
                aria-invalid={failed ? "true" : undefined}
              />
            </Field>
            <button type="submit" class="secondary">
              Save
            </button>
          </form>
        );
      })}
    </section>
  );
}

export function AgentProfilePage({
  csrf,
  viewer,
  agent,
  zones,
  failed,
}: {
  csrf: string;
  viewer: Viewer;
  agent: AgentProfile;
  zones: { id: string; name: string }[];
  failed?: { message: string; fields: FieldErrors; values: Record<string, string> };
}) {
  const fields = failed?.fields ?? {};
  const value = (name: string, fallback: string) => failed?.values[name] ?? fallback;
  return (
    <Page title={`Assignment: ${agent.name}`} csrf={csrf} viewer={viewer}>
      <p>
        <a href="/admin/assignment#agents">← Assignment</a>
      </p>
      <h1 safe>{agent.name}</h1>
      <section class="card narrow">
        {failed ? <ErrorSummary message={failed.message} /> : ""}
        <form method="post" action={`/admin/assignment/agents/${agent.userId}`}>
          <CsrfField token={csrf} />
          <Field
            label="Skills"
            name="skills"
            error={fields.skills}
            hint='e.g. "Networking 4, Billing 2" (level 1 basic … 5 expert). A new name adds the skill.'
          >
            <input id="skills" name="skills" value={value("skills", formatSkillList(agent.skills))} />
          </Field>
          <Field label="Zone" name="zoneId" error={fields.zoneId}>
            <Select
              name="zoneId"
              value={value("zoneId", agent.zoneId ?? "")}
              options={zones.map((z) => ({ value: z.id, label: z.name }))}
              blank="None"
              invalid={Boolean(fields.zoneId)}
            />
          </Field>
          <fieldset>
            <legend>Working hours (the organization's time zone; all empty: any time)</legend>
            {WEEKDAYS.map((day, i) => (
              <Field label={day} name={`hours_${i + 1}`} error={fields[`hours_${i + 1}`]}>
                <input
                  id={`hours_${i + 1}`}
                  name={`hours_${i + 1}`}
                  placeholder="09:00-17:00"
                  value={value(`hours_${i + 1}`, hoursText(agent.hours, i + 1))}
                  aria-invalid={fields[`hours_${i + 1}`] ? "true" : undefined}
                />
              </Field>
            ))}
          </fieldset>
          <button type="submit">Save</button>
        </form>
      </section>
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
