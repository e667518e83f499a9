// The rules of job sheets that need no database: the one-item-per-line text an admin writes for
// each section of a template, and what counts as an answer to each kind of item.
import {
  JOB_SHEET_ITEM_KINDS,
  JOB_SHEET_SECTIONS,
  type JobSheetItemKind,
  type JobSheetSection,
} from "../../../db/schema";

export const SECTION_LABELS: Record<JobSheetSection, string> = {
  before: "Before the job",
  steps: "Steps",
  after: "After the job",
  observations: "Observations",
};

export const KIND_LABELS: Record<JobSheetItemKind, string> = {
  yes_no: "Yes / no",
  text: "Text",
  number: "Number",
  choice: "Choice",
  photo: "Photo",
  confirm: "Checkbox",
};

export const LABEL_MAX = 200;
export const HELP_MAX = 500;
export const OPTION_MAX = 100;
export const OPTIONS_MAX = 20;
export const ITEMS_MAX = 100;
export const TEXT_ANSWER_MAX = 2000;

/** An item as a template or a sheet holds it (without its position and ids). */
export interface ItemSpec {
  section: JobSheetSection;
  kind: JobSheetItemKind;
  label: string;
  help: string;
  required: boolean;
  options: string[];
  minValue: number | null;
  maxValue: number | null;
}

const NUMBER = "[-+]?\\d+(?:\\.\\d+)?";
const RANGE = new RegExp(`^number(?:\\s+(${NUMBER})?\\s*\\.\\.\\s*(${NUMBER})?)?$`, "i");
const KIND_WORDS: Record<string, JobSheetItemKind> = {
  "yes/no": "yes_no",
  "yes-no": "yes_no",
  yesno: "yes_no",
  "yes no": "yes_no",
  text: "text",
  photo: "photo",
  confirm: "confirm",
  checkbox: "confirm",
};

export const LINE_SYNTAX_HINT =
  "One item per line. Start with * if it must be answered. End with its kind in brackets: " +
  "[confirm] (a checkbox, the default), [yes/no], [text], [number] or [number 0..100], " +
  "[choice: Good, Worn, Replaced], [photo]. Help for the technician goes after --.";

/** One line of a section's text → an item, or what is wrong with it. */
export function parseItemLine(line: string, section: JobSheetSection): ItemSpec | string {
  let rest = line.trim();
  const required = rest.startsWith("*");
  if (required) rest = rest.slice(1).trim();
  let help = "";
  const dashes = rest.indexOf(" -- ");
  if (dashes >= 0) {
    help = rest.slice(dashes + 4).trim();
    rest = rest.slice(0, dashes).trim();
  } else if (rest.endsWith(" --")) rest = rest.slice(0, -3).trim();
  const item: ItemSpec = {
    section,
    kind: "confirm",
    label: rest,
    help,
    required,
    options: [],
    minValue: null,
    maxValue: null,
  };
  const bracket = /\[([^[\]]*)\]$/.exec(rest);
  if (bracket) {
    item.label = rest.slice(0, bracket.index).trim();
    const problem = applyKind(item, bracket[1].trim());
    if (problem) return problem;
  } else if (/\[[^\]]*$/.test(rest)) return "close the bracket after the kind, e.g. [yes/no].";
  if (!item.label) return "write the item's label before its kind.";
  if (item.label.length > LABEL_MAX) return `keep the label under ${LABEL_MAX} characters.`;
  if (help.length > HELP_MAX) return `keep the help under ${HELP_MAX} characters.`;
  return item;
}

function applyKind(item: ItemSpec, spec: string): string | undefined {
  const word = spec.toLowerCase().replace(/\s+/g, " ");
  if (KIND_WORDS[word]) {
    item.kind = KIND_WORDS[word];
    return;
  }
  const range = RANGE.exec(spec);
  if (range) {
    item.kind = "number";
    item.minValue = range[1] === undefined ? null : Number(range[1]);
    item.maxValue = range[2] === undefined ? null : Number(range[2]);
    if (item.minValue !== null && item.maxValue !== null && item.minValue > item.maxValue)
      return `the range starts above its end (${range[1]}..${range[2]}).`;
    return;
  }
  const choice = /^choice\s*:(.*)$/is.exec(spec);
  if (choice) {
    item.kind = "choice";
    item.options = choice[1]
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    if (item.options.length < 2) return "a choice needs at least two options, separated by commas.";
    if (item.options.length > OPTIONS_MAX) return `a choice takes at most ${OPTIONS_MAX} options.`;
    if (item.options.some((o) => o.length > OPTION_MAX))
      return `keep each option under ${OPTION_MAX} characters.`;
    const lower = item.options.map((o) => o.toLowerCase());
    if (new Set(lower).size !== lower.length) return "a choice lists an option twice.";
    return;
  }
  return `"[${spec}]" is not a kind: use [confirm], [yes/no], [text], [number], [choice: A, B] or [photo].`;
}

/**
 * A section's text → its items, or one error message naming the lines that are wrong (at most
 * three, so the message stays readable). Blank lines are skipped.
 */
export function parseSection(text: string, section: JobSheetSection): { items: ItemSpec[]; error?: string } {
  const items: ItemSpec[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseItemLine(line, section);
    if (typeof parsed === "string") problems.push(`Line ${index + 1}: ${parsed}`);
    else items.push(parsed);
  });
  if (problems.length === 0) return { items };
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
  return { items, error: `${problems.slice(0, 3).join(" ")}${more}` };
}

const numberText = (n: number) => String(n);

/** An item back as the line that makes it; parseItemLine(itemLine(x)) gives x again. */
export function itemLine(item: ItemSpec): string {
  let kind: string = item.kind === "yes_no" ? "yes/no" : item.kind;
  if (item.kind === "number" && (item.minValue !== null || item.maxValue !== null))
    kind = `number ${item.minValue === null ? "" : numberText(item.minValue)}..${
      item.maxValue === null ? "" : numberText(item.maxValue)
    }`;
  if (item.kind === "choice") kind = `choice: ${item.options.join(", ")}`;
  return `${item.required ? "* " : ""}${item.label} [${kind}]${item.help ? ` -- ${item.help}` : ""}`;
}

/** The four sections' texts of a template's items, as the form shows them. */
export function sectionTexts(items: ItemSpec[]): Record<JobSheetSection, string> {
  const texts = Object.fromEntries(JOB_SHEET_SECTIONS.map((s) => [s, ""])) as Record<JobSheetSection, string>;
  for (const section of JOB_SHEET_SECTIONS)
    texts[section] = items
      .filter((i) => i.section === section)
      .map(itemLine)
      .join("\n");
  return texts;
}

export function isItemKind(value: string): value is JobSheetItemKind {
  return (JOB_SHEET_ITEM_KINDS as readonly string[]).includes(value);
}

/** The range of a number item in words: "from 50 to 300", "at least 0", "". */
export function rangeText(item: Pick<ItemSpec, "minValue" | "maxValue">): string {
  if (item.minValue !== null && item.maxValue !== null)
    return `from ${numberText(item.minValue)} to ${numberText(item.maxValue)}`;
  if (item.minValue !== null) return `at least ${numberText(item.minValue)}`;
  if (item.maxValue !== null) return `at most ${numberText(item.maxValue)}`;
  return "";
}

/**
 * What a technician typed or picked for an item → the stored value (null: no answer), or what is
 * wrong with it. Photo items are answered with a photo, not here.
 */
export function normalizeAnswer(
  item: Pick<ItemSpec, "kind" | "options" | "minValue" | "maxValue">,
  raw: string,
): { value: string | null } | { error: string } {
  const text = raw.trim();
  if (!text) return { value: null };
  switch (item.kind) {
    case "yes_no":
      return text === "yes" || text === "no" ? { value: text } : { error: "Answer yes or no." };
    case "confirm":
      return text === "yes" ? { value: "yes" } : { error: "Tick the box or leave it empty." };
    case "text":
      return text.length > TEXT_ANSWER_MAX
        ? { error: `Keep the answer under ${TEXT_ANSWER_MAX.toLocaleString("en")} characters.` }
        : { value: text };
    case "number": {
      const plain = text.replace(/\s/g, "");
      if (!new RegExp(`^${NUMBER}$|^[-+]?\\.\\d+$`).test(plain))
        return { error: "Enter a number, e.g. 12.5." };
      const n = Number(plain);
      const tooLow = item.minValue !== null && n < item.minValue;
      const tooHigh = item.maxValue !== null && n > item.maxValue;
      if (tooLow || tooHigh) return { error: `Enter a number ${rangeText(item)}.` };
      return { value: numberText(n) };
    }
    case "choice":
      return item.options.includes(text) ? { value: text } : { error: "Choose one of the options." };
    case "photo":
      return { error: "Attach a photo." };
  }
}

/** How an answer reads on the report and the work order page. */
export function answerText(kind: JobSheetItemKind, value: string | null, hasPhoto: boolean): string {
  if (kind === "photo") return hasPhoto ? "Photo attached" : "—";
  if (value === null) return "—";
  if (kind === "yes_no") return value === "yes" ? "Yes" : "No";
  if (kind === "confirm") return value === "yes" ? "Done" : "—";
  return value;
}
