// Job sheets against a real database: templates written as one item per line, attached by the
// services of a work order or by hand, answered per kind on a visit, required items holding back
// completion, and templates edited without touching the sheets already attached.
import { beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { contacts, events, jobSheetAnswers, services } from "../../../db/schema";
import { createOrg, type Fixture, testDatabase } from "../../../test/helpers";
import { itemLine, normalizeAnswer, parseItemLine, parseSection, sectionTexts } from "./jobSheetRules";
import {
  answerField,
  answerJobSheet,
  attachJobSheet,
  createTemplate,
  detachJobSheet,
  getTemplate,
  jobSheetsOf,
  listTemplates,
  setTemplateActive,
  updateTemplate,
} from "./jobSheets";
import { addLineItem, changeAppointmentStatus, createWorkOrder, scheduleAppointment } from "./workOrders";

const NOW = new Date("2026-11-23T02:00:00Z");
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);

let org: Fixture;
let other: Fixture;
let serviceId: string;
let otherServiceId: string;

beforeAll(async () => {
  [org, other] = await Promise.all([createOrg("Sheets"), createOrg("OtherSheets")]);
  const { db } = await testDatabase();
  const [service] = await db
    .insert(services)
    .values({
      orgId: org.orgId,
      name: "Aircon service",
      durationMinutes: 60,
      priceMinor: 12000,
      currency: "USD",
    })
    .returning();
  const [foreign] = await db
    .insert(services)
    .values({
      orgId: other.orgId,
      name: "Aircon service",
      durationMinutes: 60,
      priceMinor: 12000,
      currency: "USD",
    })
    .returning();
  serviceId = service.id;
  otherServiceId = foreign.id;
});

const AIRCON = {
  before: "* Isolate the power supply [confirm] -- At the isolator, not the remote",
  steps: [
    "* Refrigerant pressure (psi) [number 50..300]",
    "* Filter condition [choice: Clean, Dirty, Replaced]",
    "* Coil after cleaning [photo]",
  ].join("\n"),
  after: "* Unit cooling? [yes/no]",
  observations: "Anything the customer should know [text]",
};

let templateCount = 0;
async function template(sections: Record<string, string> = AIRCON, serviceIds: string[] = []) {
  return createTemplate(org.ctx("dispatcher", NOW), {
    name: `Aircon job sheet ${++templateCount}`,
    serviceIds,
    sections,
  });
}

async function visit(f: Fixture = org) {
  const { db } = await testDatabase();
  const [contact] = await db.select().from(contacts).where(eq(contacts.orgId, f.orgId));
  const wo = await createWorkOrder(f.ctx("dispatcher", NOW), {
    subject: "Aircon not cooling",
    contactId: contact.id,
  });
  const appointment = await scheduleAppointment(f.ctx("dispatcher", NOW), wo.id, {
    override: true,
    startsAt: hours(1),
    endsAt: hours(3),
    technicianIds: [f.users.technician.id],
  });
  return { wo, appointment };
}

const jpeg = async () =>
  new File(
    [
      new Uint8Array(
        await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3a7" } })
          .jpeg()
          .toBuffer(),
      ),
    ],
    "coil.jpg",
    { type: "image/jpeg" },
  );

describe("the one-item-per-line syntax", () => {
  test("reads every kind, required marks, ranges, options and help, and writes them back the same", () => {
    const { items, error } = parseSection(
      [
        "* Isolate power -- at the isolator",
        "Unit cooling? [Yes/No]",
        "Notes [text]",
        "* Pressure [number 50..300]",
        "Voltage [number ..240.5]",
        "Temperature [number -10..]",
        "Count [number]",
        "Filter [choice: Clean, Dirty , Replaced]",
        "* Nameplate [photo]",
        "",
        "Tidy up [confirm]",
      ].join("\n"),
      "steps",
    );
    expect(error).toBeUndefined();
    expect(items.map((i) => [i.kind, i.required])).toEqual([
      ["confirm", true],
      ["yes_no", false],
      ["text", false],
      ["number", true],
      ["number", false],
      ["number", false],
      ["number", false],
      ["choice", false],
      ["photo", true],
      ["confirm", false],
    ]);
    expect(items[0]).toMatchObject({ label: "Isolate power", help: "at the isolator", section: "steps" });
    expect(items[3]).toMatchObject({ minValue: 50, maxValue: 300 });
    expect(items[4]).toMatchObject({ minValue: null, maxValue: 240.5 });
    expect(items[5]).toMatchObject({ minValue: -10, maxValue: null });
    expect(items[7].options).toEqual(["Clean", "Dirty", "Replaced"]);
    for (const item of items) expect(parseItemLine(itemLine(item), "steps")).toEqual(item);
  });

  test("names each wrong line and what is wrong with it", () => {
    const { error } = parseSection(
      ["Fine [text]", "Bad kind [colour]", "[text]", "Range [number 5..1]", "Pick [choice: One]"].join("\n"),
      "before",
    );
    expect(error).toContain('Line 2: "[colour]" is not a kind');
    expect(error).toContain("Line 3: write the item's label");
    expect(error).toContain("Line 4: the range starts above its end");
    expect(error).toContain("(and 1 more)");
    expect(parseItemLine("Twice [choice: A, a]", "steps")).toContain("twice");
    expect(parseItemLine("Open [text", "steps")).toContain("close the bracket");
  });

  test("answers are checked per kind: yes/no, confirm, number in range, one of the options", () => {
    const number = { kind: "number" as const, options: [], minValue: 50, maxValue: 300 };
    expect(normalizeAnswer(number, " 120.50 ")).toEqual({ value: "120.5" });
    expect(normalizeAnswer(number, "")).toEqual({ value: null });
    expect(normalizeAnswer(number, "301")).toEqual({ error: "Enter a number from 50 to 300." });
    expect(normalizeAnswer(number, "12abc")).toEqual({ error: "Enter a number, e.g. 12.5." });
    const choice = { kind: "choice" as const, options: ["Clean", "Dirty"], minValue: null, maxValue: null };
    expect(normalizeAnswer(choice, "Dirty")).toEqual({ value: "Dirty" });
    expect(normalizeAnswer(choice, "Filthy")).toEqual({ error: "Choose one of the options." });
    const yesNo = { kind: "yes_no" as const, options: [], minValue: null, maxValue: null };
    expect(normalizeAnswer(yesNo, "no")).toEqual({ value: "no" });
    expect(normalizeAnswer(yesNo, "maybe")).toEqual({ error: "Answer yes or no." });
    const confirm = { kind: "confirm" as const, options: [], minValue: null, maxValue: null };
    expect(normalizeAnswer(confirm, "yes")).toEqual({ value: "yes" });
  });
});

describe("templates", () => {
  test("are validated field by field; names are unique in the organization only", async () => {
    const dispatcher = org.ctx("dispatcher", NOW);
    await expect(
      createTemplate(dispatcher, {
        name: "",
        sections: { steps: "Bad [colour]" },
        serviceIds: [otherServiceId],
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        name: "Name the job sheet.",
        steps: expect.stringContaining("Line 1"),
        serviceIds: "Choose services from the catalog.",
      },
    });
    await expect(createTemplate(dispatcher, { name: "Empty", sections: {} })).rejects.toMatchObject({
      fields: { steps: "Add at least one item, in any section." },
    });
    const made = await createTemplate(dispatcher, { name: "Generator check", sections: AIRCON });
    await expect(
      createTemplate(dispatcher, { name: "Generator check", sections: AIRCON }),
    ).rejects.toMatchObject({
      fields: { name: "Another job sheet already has this name." },
    });
    // Another organization may use the name, and never sees this one.
    await createTemplate(other.ctx("dispatcher", NOW), { name: "Generator check", sections: AIRCON });
    await expect(getTemplate(other.ctx("dispatcher", NOW), made.id)).rejects.toMatchObject({ status: 404 });
    expect((await listTemplates(other.ctx("dispatcher", NOW))).map((t) => t.id)).not.toContain(made.id);
    // Technicians and agents do not edit templates.
    for (const role of ["technician", "agent"] as const)
      await expect(createTemplate(org.ctx(role, NOW), { name: "X", sections: AIRCON })).rejects.toMatchObject(
        {
          status: 403,
        },
      );
    const detail = await getTemplate(dispatcher, made.id);
    expect(sectionTexts(detail.items)).toEqual({
      ...AIRCON,
      observations: "Anything the customer should know [text]",
    });
  });
});

describe("attaching", () => {
  test("adding a service line attaches its templates once; archived ones are left out", async () => {
    const attached = await template(AIRCON, [serviceId]);
    const archived = await template({ steps: "Old step" }, [serviceId]);
    await setTemplateActive(org.ctx("dispatcher", NOW), archived.id, false);
    const { db } = await testDatabase();
    const { wo } = await visit();
    const dispatcher = org.ctx("dispatcher", NOW);
    await addLineItem(dispatcher, wo.id, { kind: "service", serviceId, quantity: "1" });
    await addLineItem(dispatcher, wo.id, { kind: "service", serviceId, quantity: "2" });
    const sheets = await jobSheetsOf(db, org.orgId, wo.id);
    const names = sheets.map((s) => s.sheet.name);
    expect(names).toContain(attached.name);
    expect(names).not.toContain(archived.name);
    expect(names.filter((n) => n === attached.name)).toHaveLength(1);
    const sheet = sheets.find((s) => s.sheet.name === attached.name)!;
    expect(sheet.sheet.source).toBe("service");
    expect(sheet.items.map((i) => i.label)).toEqual([
      "Isolate the power supply",
      "Refrigerant pressure (psi)",
      "Filter condition",
      "Coil after cleaning",
      "Unit cooling?",
      "Anything the customer should know",
    ]);
  });

  test("a dispatcher attaches and detaches by hand; twice or across organizations is refused", async () => {
    const made = await template();
    const { wo } = await visit();
    const dispatcher = org.ctx("dispatcher", NOW);
    const sheet = await attachJobSheet(dispatcher, wo.id, made.id);
    expect(sheet.source).toBe("manual");
    await expect(attachJobSheet(dispatcher, wo.id, made.id)).rejects.toMatchObject({ status: 409 });
    await expect(attachJobSheet(other.ctx("dispatcher", NOW), wo.id, made.id)).rejects.toMatchObject({
      status: 422,
    });
    await expect(detachJobSheet(other.ctx("dispatcher", NOW), wo.id, sheet.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(attachJobSheet(org.ctx("technician", NOW), wo.id, made.id)).rejects.toMatchObject({
      status: 403,
    });
    await detachJobSheet(dispatcher, wo.id, sheet.id);
    const { db } = await testDatabase();
    expect(await jobSheetsOf(db, org.orgId, wo.id)).toEqual([]);
  });
});

describe("answering on the visit", () => {
  async function attachedVisit() {
    const made = await template();
    const { wo, appointment } = await visit();
    const sheet = await attachJobSheet(org.ctx("dispatcher", NOW), wo.id, made.id);
    const { db } = await testDatabase();
    const [view] = await jobSheetsOf(db, org.orgId, wo.id);
    const id = (label: string) => view.items.find((i) => i.label.startsWith(label))!.id;
    return { made, wo, appointment, sheet, view, id };
  }

  test("bad answers are refused per item and nothing is saved; good ones are saved with who and when", async () => {
    const { appointment, sheet, view, id } = await attachedVisit();
    const tech = org.ctx("technician", NOW);
    const itemIds = view.items.map((i) => i.id);
    await expect(
      answerJobSheet(tech, appointment.id, sheet.id, {
        itemIds,
        values: {
          [answerField(id("Isolate"))]: "yes",
          [answerField(id("Refrigerant"))]: "400",
          [answerField(id("Filter"))]: "Filthy",
        },
        photos: {},
      }),
    ).rejects.toMatchObject({
      status: 422,
      fields: {
        [answerField(id("Refrigerant"))]: "Enter a number from 50 to 300.",
        [answerField(id("Filter"))]: "Choose one of the options.",
      },
    });
    const { db } = await testDatabase();
    expect((await jobSheetsOf(db, org.orgId, sheet.workOrderId))[0].answered).toBe(0);

    const changed = await answerJobSheet(tech, appointment.id, sheet.id, {
      itemIds,
      values: {
        [answerField(id("Isolate"))]: "yes",
        [answerField(id("Refrigerant"))]: "120",
        [answerField(id("Filter"))]: "Dirty",
        [answerField(id("Unit cooling"))]: "no",
      },
      photos: { [answerField(id("Coil"))]: await jpeg() },
    });
    expect(changed).toBe(5);
    const [after] = await jobSheetsOf(db, org.orgId, sheet.workOrderId);
    const answer = (label: string) => after.items.find((i) => i.label.startsWith(label))!.answer;
    expect(answer("Refrigerant")).toMatchObject({
      value: "120",
      answeredBy: org.users.technician.id,
      appointmentId: appointment.id,
    });
    expect(answer("Refrigerant")?.answeredAt.toISOString()).toBe(NOW.toISOString());
    expect(answer("Coil")?.photoId).toBeTruthy();
    expect(answer("Anything")).toBeNull();

    // Changing one answer records the change; clearing another deletes it; both are events.
    const later = org.ctx("technician", hours(2));
    await answerJobSheet(later, appointment.id, sheet.id, {
      itemIds: [id("Refrigerant"), id("Filter")],
      values: { [answerField(id("Refrigerant"))]: "130", [answerField(id("Filter"))]: "" },
      photos: {},
    });
    const rows = await db
      .select()
      .from(jobSheetAnswers)
      .where(eq(jobSheetAnswers.itemId, id("Filter")));
    expect(rows).toHaveLength(0);
    const answered = await db
      .select()
      .from(events)
      .where(and(eq(events.orgId, org.orgId), eq(events.type, "job_sheet.answered")));
    const ofPressure = answered.filter((e) => (e.data as { itemId: string }).itemId === id("Refrigerant"));
    expect(ofPressure.map((e) => (e.data as { from: string | null; to: string }).to)).toEqual(["120", "130"]);
    expect(ofPressure[1].data).toMatchObject({ from: "120", to: "130" });
    expect(ofPressure[1].actorUserId).toBe(org.users.technician.id);
  });

  test("another technician, another organization, an agent, or a finished visit cannot answer", async () => {
    const { appointment, sheet, id } = await attachedVisit();
    const input = { itemIds: [id("Isolate")], values: { [answerField(id("Isolate"))]: "yes" }, photos: {} };
    await expect(
      answerJobSheet(other.ctx("technician", NOW), appointment.id, sheet.id, input),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      answerJobSheet(org.ctx("agent", NOW), appointment.id, sheet.id, input),
    ).rejects.toMatchObject({
      status: 403,
    });
    // A sheet of a different work order is not found through this visit.
    const elsewhere = await attachedVisit();
    await expect(
      answerJobSheet(org.ctx("technician", NOW), appointment.id, elsewhere.sheet.id, input),
    ).rejects.toMatchObject({ status: 404 });
    const tech = org.ctx("technician", NOW);
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    await changeAppointmentStatus(tech, appointment.id, { status: "cannot_complete", reason: "No access" });
    await expect(answerJobSheet(tech, appointment.id, sheet.id, input)).rejects.toMatchObject({
      status: 409,
    });
  });

  test("a visit is completed only when every required item is answered, and the refusal lists them", async () => {
    const { appointment, sheet, view, id } = await attachedVisit();
    const tech = org.ctx("technician", NOW);
    await changeAppointmentStatus(tech, appointment.id, { status: "travelling" });
    await changeAppointmentStatus(tech, appointment.id, { status: "on_site" });
    await answerJobSheet(tech, appointment.id, sheet.id, {
      itemIds: view.items.map((i) => i.id),
      values: { [answerField(id("Isolate"))]: "yes", [answerField(id("Refrigerant"))]: "120" },
      photos: {},
    });
    const refusal = changeAppointmentStatus(tech, appointment.id, { status: "completed" });
    await expect(refusal).rejects.toMatchObject({ status: 409 });
    const error = (await refusal.catch((e) => e)) as { message: string; fields: Record<string, string> };
    expect(error.message).toContain("Steps: Filter condition");
    expect(error.message).toContain("Steps: Coil after cleaning");
    expect(error.message).toContain("After the job: Unit cooling?");
    expect(error.message).not.toContain("Isolate");
    expect(error.message).not.toContain("Anything the customer");
    expect(Object.keys(error.fields)).toContain(answerField(id("Filter")));

    await answerJobSheet(tech, appointment.id, sheet.id, {
      itemIds: [id("Filter"), id("Unit cooling"), id("Coil")],
      values: { [answerField(id("Filter"))]: "Clean", [answerField(id("Unit cooling"))]: "yes" },
      photos: { [answerField(id("Coil"))]: await jpeg() },
    });
    const done = await changeAppointmentStatus(tech, appointment.id, { status: "completed" });
    expect(done.status).toBe("completed");
  });

  test("editing the template changes no sheet already attached, nor its answers", async () => {
    const { made, appointment, sheet, id } = await attachedVisit();
    await answerJobSheet(org.ctx("technician", NOW), appointment.id, sheet.id, {
      itemIds: [id("Refrigerant")],
      values: { [answerField(id("Refrigerant"))]: "120" },
      photos: {},
    });
    const edited = await updateTemplate(org.ctx("dispatcher", NOW), made.id, {
      name: made.name,
      sections: { steps: "* Refrigerant pressure (bar) [number 3..20]\n* New step" },
    });
    expect(edited.version).toBe(2);
    const { db } = await testDatabase();
    const [after] = await jobSheetsOf(db, org.orgId, sheet.workOrderId);
    expect(after.sheet.templateVersion).toBe(1);
    const pressure = after.items.find((i) => i.id === id("Refrigerant"))!;
    expect(pressure).toMatchObject({ label: "Refrigerant pressure (psi)", minValue: 50, maxValue: 300 });
    expect(pressure.answer?.value).toBe("120");
    expect(after.items.map((i) => i.label)).not.toContain("New step");
    // Saving without changing the items keeps the version.
    const again = await updateTemplate(org.ctx("dispatcher", NOW), made.id, {
      name: `${made.name} renamed`,
      sections: { steps: "* Refrigerant pressure (bar) [number 3..20]\n* New step [confirm]" },
    });
    expect(again.version).toBe(2);
    // A sheet with answers stays on the work order.
    await expect(
      detachJobSheet(org.ctx("dispatcher", NOW), sheet.workOrderId, sheet.id),
    ).rejects.toMatchObject({
      status: 409,
    });
  });
});
