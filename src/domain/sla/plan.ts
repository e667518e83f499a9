// A ticket's coming escalation steps, worked out whenever its due times are (from the event log,
// by the engine) and stored beside its look-in time, so the sweep records them as they come due
// without reading the log or running the engine again.
//
// Between two changes of the ticket nothing moves a running clock but time, so each step's moment
// is known in advance, and so are the words of its `reason`: the clock's explanation as it reads
// at that moment. Those words change only at the breach ("overdue since …" is added) and, after
// it, when a holiday of the calendar begins (the explanation names the holidays up to now); each
// step keeps the moment until which its words hold, and a sweep that comes later than that works
// the ticket out from the log as before. Pauses, replies, priority changes and reassignment are
// ticket changes, and a policy or calendar edit recomputes every open ticket: each writes a new plan.
import { addBusinessMs, alwaysOpenCalendar, type BusinessCalendar, holidaysBetween } from "./calendar";
import { describePart, type ExplanationPart, type TargetClock } from "./clock";
import { type EscalationStep, escalationKey, LADDER } from "./escalation";
import type { SlaTargetKind } from "./policy";
import { DAY_MS, dayOfWall, HOUR_MS, MINUTE_MS, utcToWall, wallToUtc } from "./zone";

export interface PlannedStep {
  key: string;
  target: SlaTargetKind;
  cycle: number;
  step: EscalationStep;
  level: 0 | 1 | 2;
  /** When the step comes due (epoch ms). */
  at: number;
  /** The clock's explanation as it reads at `at`; the event's reason is the rung's label and these. */
  words: string;
  /** The words hold until this moment (epoch ms); null: for good. */
  until: number | null;
}

export interface SlaPlan {
  /** Steps not yet recorded, in the order the engine lists them (clock by clock, lowest rung first). */
  steps: PlannedStep[];
  /** The earliest breach of a clock running and not yet overdue: the ticket turns overdue then. */
  breachAt: number | null;
}

const aroundTheClock = new Map<string, BusinessCalendar>();

/** The calendar a clock counts on: its policy's, or around the clock for calendar-time targets. */
export function countingCalendar(calendar: BusinessCalendar, businessHours: boolean): BusinessCalendar {
  if (businessHours) return calendar;
  let cal = aroundTheClock.get(calendar.timeZone);
  if (!cal) {
    cal = alwaysOpenCalendar(calendar.timeZone, "around the clock");
    aroundTheClock.set(calendar.timeZone, cal);
  }
  return cal;
}

/** The moment a rung of a running clock is reached, measured from `now`; undefined if never. */
function rungAt(rung: (typeof LADDER)[number], clock: TargetClock, calendar: BusinessCalendar, now: number) {
  if (rung.percent !== undefined) {
    const left = (clock.targetMinutes * MINUTE_MS * rung.percent) / 100 - clock.elapsedMinutes * MINUTE_MS;
    return left <= 0 ? now : addBusinessMs(countingCalendar(calendar, clock.businessHours), now, left);
  }
  const breach = clock.breachedAt?.getTime() ?? clock.dueAt?.getTime();
  return breach === undefined ? undefined : breach + (rung.hoursAfterBreach ?? 0) * HOUR_MS;
}

/**
 * The explanation of one running clock at later moments, as the engine would word it then: the
 * parts that do not move with time, then the holidays up to the later of that moment and the due
 * time, then "overdue since …" once the breach has come.
 */
class LaterWords {
  readonly #zone: string;
  readonly #start: number;
  readonly #due: number;
  readonly #breach: number;
  /** Words by the holidays they name and whether the breach has come: most steps share them. */
  readonly #made = new Map<number, string>();

  constructor(
    private clock: TargetClock,
    private calendar: BusinessCalendar,
  ) {
    this.#zone = calendar.timeZone;
    this.#start = clock.startedAt.getTime();
    this.#breach = (clock.breachedAt ?? clock.dueAt ?? clock.startedAt).getTime();
    this.#due = clock.dueAt?.getTime() ?? this.#breach;
  }

  at(moment: number): string {
    const overdue = moment >= this.#breach;
    // Before the breach the holidays are named up to the due time, the same for every moment;
    // after it up to the moment's local date. Words are made once per count of holidays named.
    const named = this.clock.businessHours && overdue ? this.#holidaysUpTo(moment) : -1;
    const key = named * 2 + (overdue ? 1 : 0);
    let words = this.#made.get(key);
    if (words === undefined) {
      const parts: ExplanationPart[] = this.clock.explanation.parts.filter(
        (p) => p.kind !== "holiday" && p.kind !== "overdue" && p.kind !== "completed",
      );
      const holidays = this.clock.businessHours
        ? holidaysBetween(this.calendar, this.#start, Math.max(moment, this.#due))
        : [];
      for (const h of holidays)
        parts.push({ kind: "holiday", date: h.date, name: h.name, partial: h.start !== undefined });
      if (overdue) parts.push({ kind: "overdue", since: new Date(this.#breach) });
      words = parts.map((p) => describePart(p, this.#zone)).join(", ");
      this.#made.set(key, words);
    }
    return words;
  }

  /** How many holiday dates lie from the clock's start to `moment`, in local dates (as holidaysBetween). */
  #holidaysUpTo(moment: number): number {
    if (this.calendar.closures.size === 0) return 0;
    const first = dayOfWall(utcToWall(this.#zone, this.#start));
    const last = dayOfWall(utcToWall(this.#zone, Math.max(moment, this.#due)));
    let count = 0;
    for (const day of this.calendar.closures.keys()) if (day >= first && day <= last) count++;
    return count;
  }

  /** Until when the words of `moment` hold: the breach, or after it the next holiday's first day. */
  until(moment: number): number | null {
    if (moment < this.#breach) return this.#breach;
    if (!this.clock.businessHours || this.calendar.closures.size === 0) return null;
    // Holidays are named up to the local date of the later of the moment and the due time.
    const today = dayOfWall(utcToWall(this.#zone, Math.max(moment, this.#due)));
    let next = Number.POSITIVE_INFINITY;
    for (const day of this.calendar.closures.keys()) if (day > today && day < next) next = day;
    return Number.isFinite(next) ? wallToUtc(this.#zone, next * DAY_MS) : null;
  }
}

/**
 * The steps of these clocks still to come (not in `recorded`), each with its moment and words.
 * Paused and finished clocks have none: the change that restarts a clock writes a new plan.
 */
export function planSteps(
  clocks: readonly TargetClock[],
  recorded: ReadonlySet<string>,
  calendar: BusinessCalendar,
  now: Date,
): SlaPlan {
  const at = now.getTime();
  const steps: PlannedStep[] = [];
  let breachAt: number | null = null;
  for (const clock of clocks) {
    if (!clock.open || clock.paused) continue;
    if (clock.status !== "breached" && clock.dueAt) {
      const due = clock.dueAt.getTime();
      if (breachAt === null || due < breachAt) breachAt = due;
    }
    const words = new LaterWords(clock, calendar);
    for (const rung of LADDER) {
      const key = escalationKey(clock, rung.step);
      if (recorded.has(key)) continue;
      const when = rungAt(rung, clock, calendar, at);
      if (when === undefined) continue;
      // A step already past (hours after a breach long ago) is recorded by the next sweep, in the
      // words of then: never earlier than now.
      const wordedAt = Math.max(when, at);
      steps.push({
        key,
        target: clock.target,
        cycle: clock.cycle,
        step: rung.step,
        level: rung.level,
        at: when,
        words: words.at(wordedAt),
        until: words.until(wordedAt),
      });
    }
  }
  return { steps, breachAt };
}

/** When the sweep should look next: the first step's moment, rounded up to the second. */
export function firstStepAt(plan: SlaPlan): Date | null {
  let next = Number.POSITIVE_INFINITY;
  for (const step of plan.steps) if (step.at < next) next = step.at;
  // Rounded up, so a step is never looked for a moment before it is reached.
  return Number.isFinite(next) ? new Date(Math.ceil(next / 1000) * 1000) : null;
}

/** The reason a step's event carries, as the ticket history and the notification show it. */
export function reasonOf(step: Pick<PlannedStep, "step" | "words">): string {
  const rung = LADDER.find((r) => r.step === step.step);
  return `${rung?.label}: ${step.words}`;
}

/** A step as stored: its rung, moment, words (an index into the plan's words) and until when they hold. */
type StoredStep = [step: EscalationStep, at: number, words: number, until: number | null];

/** A clock's steps as stored, in ladder order. */
type StoredClock = [target: SlaTargetKind, cycle: number, steps: StoredStep[]];

/**
 * Words as stored: the text, or another entry's text and what follows it (after the breach a
 * clock's words are its words before, then "overdue since …").
 */
type StoredWords = string | [base: number, rest: string];

interface StoredPlan {
  breachAt: number | null;
  words: StoredWords[];
  clocks: StoredClock[];
}

/**
 * The plan as stored, kept small (the sweep reads a thousand at a time) and always the same text
 * for the same plan, so the recompute can compare it with what it would write.
 */
export function encodePlan(plan: SlaPlan): string | null {
  if (plan.steps.length === 0) return null;
  const words: StoredWords[] = [];
  const texts: string[] = [];
  const index = new Map<string, number>();
  const wordsOf = (text: string) => {
    let i = index.get(text);
    if (i === undefined) {
      const base = texts.findIndex((t, j) => typeof words[j] === "string" && text.startsWith(`${t}, `));
      i = words.push(base < 0 ? text : [base, text.slice(texts[base].length)]) - 1;
      texts.push(text);
      index.set(text, i);
    }
    return i;
  };
  const clocks: StoredClock[] = [];
  for (const s of plan.steps) {
    let clock = clocks[clocks.length - 1];
    if (!clock || clock[0] !== s.target || clock[1] !== s.cycle) {
      clock = [s.target, s.cycle, []];
      clocks.push(clock);
    }
    clock[2].push([s.step, s.at, wordsOf(s.words), s.until]);
  }
  const stored: StoredPlan = { breachAt: plan.breachAt, words, clocks };
  return JSON.stringify(stored);
}

export function decodePlan(text: string): SlaPlan {
  const stored = JSON.parse(text) as StoredPlan;
  const texts: string[] = [];
  for (const w of stored.words) texts.push(typeof w === "string" ? w : texts[w[0]] + w[1]);
  const steps: PlannedStep[] = [];
  for (const [target, cycle, clockSteps] of stored.clocks) {
    for (const [step, at, words, until] of clockSteps) {
      steps.push({
        key: escalationKey({ target, cycle }, step),
        target,
        cycle,
        step,
        level: LEVELS[step],
        at,
        words: texts[words],
        until,
      });
    }
  }
  return { breachAt: stored.breachAt, steps };
}

const LEVELS = Object.fromEntries(LADDER.map((r) => [r.step, r.level])) as Record<EscalationStep, 0 | 1 | 2>;
