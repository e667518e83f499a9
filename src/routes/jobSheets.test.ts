// Job sheets through the pages: dispatchers write templates in a plain form (bad lines come back
// marked with the text kept) and attach them on the work order page; the assigned technician fills
// the checklist in on the phone, cannot complete with required items open, and the service report
// PDF lists the answers. Other technicians and other organizations get nothing.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { contacts, users } from "../../db/schema";
import { Client, createOrg, type Fixture, PASSWORD, parse, signedIn, testDatabase } from "../../test/helpers";
import { pdfText } from "../../test/pdf";
import { hashPassword } from "../domain/auth/passwords";
import { answerField, jobSheetsOf } from "../domain/fsm/jobSheets";
import { formatWorkOrderNumber } from "../domain/fsm/rules";
import { createWorkOrder, scheduleAppointment } from "../domain/fsm/workOrders";

let home: Fixture;
let away: Fixture;
let workOrderNumber: string;
let workOrderId: string;
let appointmentId: string;
let strangerEmail: string;

const SECTIONS = {
  before: "* Isolate the power supply -- At the isolator",
  steps: "* Refrigerant pressure (psi) [number 50..300]\n* Filter condition [choice: Clean, Dirty, Replaced]",
  after: "* Coil after cleaning [photo]\n* Unit cooling? [yes/no]",
  observations: "Notes for the customer [text]",
};

const jpeg = async () =>
  new File(
    [
      new Uint8Array(
        await sharp({ create: { width: 64, height: 48, channels: 3, background: "#48c" } })
          .jpeg()
          .toBuffer(),
      ),
    ],
    "coil.jpg",
    { type: "image/jpeg" },
  );

beforeAll(async () => {
  [home, away] = await Promise.all([createOrg("SheetHome"), createOrg("SheetAway")]);
  const { db } = await testDatabase();
  const [contact] = await db.select().from(contacts).where(eq(contacts.orgId, home.orgId));
  const now = new Date();
  const wo = await createWorkOrder(home.ctx("dispatcher", now), {
    subject: "Aircon service",
    contactId: contact.id,
  });
  workOrderNumber = formatWorkOrderNumber(wo.number);
  workOrderId = wo.id;
  const appointment = await scheduleAppointment(home.ctx("dispatcher", now), wo.id, {
    override: true,
    startsAt: new Date(now.getTime() + 3600_000),
    endsAt: new Date(now.getTime() + 3 * 3600_000),
    technicianIds: [home.users.technician.id],
  });
  appointmentId = appointment.id;
  // A second technician of the same organization, not on this visit.
  strangerEmail = `other-tech-${home.orgId.slice(0, 8)}@sheets.test`;
  await db.insert(users).values({
    orgId: home.orgId,
    email: strangerEmail,
    name: "Other Technician",
    role: "technician",
    passwordHash: await hashPassword(PASSWORD),
  });
});

describe("job sheet templates", () => {
  test("only dispatchers and admins reach the templates", async () => {
    for (const role of ["technician", "agent", "customer"] as const) {
      const client = await signedIn(home, role);
      expect([403, 404]).toContain((await client.get("/fsm/job-sheets")).status);
      expect([403, 404]).toContain((await client.post("/fsm/job-sheets", { name: "X", steps: "Y" })).status);
    }
    const dispatcher = await signedIn(home, "dispatcher");
    const page = await dispatcher.page("/fsm/job-sheets/new");
    expect(page.status).toBe(200);
    expect(page.document.querySelector("textarea#before")).not.toBeNull();
  });

  test("a wrong line comes back marked, with every text kept", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const steps = "* Pressure [number 50..300]\nFilter [colour]";
    const response = await dispatcher.post("/fsm/job-sheets", { name: "Broken sheet", ...SECTIONS, steps });
    expect(response.status).toBe(422);
    const document = parse(await response.text());
    expect(document.querySelector("#steps-error")?.textContent).toContain('Line 2: "[colour]" is not a kind');
    expect(document.querySelector("#steps")?.closest(".field")?.className).toContain("invalid");
    expect(document.querySelector("#steps")?.textContent).toBe(steps);
    expect(document.querySelector("#before")?.textContent).toBe(SECTIONS.before);
    expect(document.querySelector("#name")?.getAttribute("value")).toBe("Broken sheet");
  });

  test("a dispatcher creates a template, edits it, and another organization cannot see it", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const created = await dispatcher.post("/fsm/job-sheets", { name: "Aircon checklist", ...SECTIONS });
    expect(created.status).toBe(303);
    const location = String(created.headers.get("location"));
    expect(location).toMatch(/^\/fsm\/job-sheets\/[0-9a-f-]{36}\?notice=created$/);
    const path = location.split("?")[0];
    const edit = await dispatcher.page(path);
    expect(edit.document.querySelector("#steps")?.textContent).toBe(
      "* Refrigerant pressure (psi) [number 50..300]\n* Filter condition [choice: Clean, Dirty, Replaced]",
    );
    const list = await dispatcher.page("/fsm/job-sheets");
    expect([...list.document.querySelectorAll("table.job-sheets a")].map((a) => a.textContent)).toContain(
      "Aircon checklist",
    );
    const stranger = await signedIn(away, "dispatcher");
    expect((await stranger.get(path)).status).toBe(404);
    expect((await stranger.post(path, { name: "Mine now", ...SECTIONS })).status).toBe(404);
  });
});

describe("the checklist on the visit", () => {
  let sheetId: string;
  let itemId: (label: string) => string;

  beforeAll(async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const created = await dispatcher.post("/fsm/job-sheets", { name: "Visit checklist", ...SECTIONS });
    const templateId = String(created.headers.get("location")).split("?")[0].split("/").pop() as string;
    const attached = await dispatcher.post(`/fsm/work-orders/${workOrderNumber}/job-sheets`, { templateId });
    expect(attached.status).toBe(303);
    const { db } = await testDatabase();
    const [view] = await jobSheetsOf(db, home.orgId, workOrderId);
    sheetId = view.sheet.id;
    itemId = (label) => view.items.find((i) => i.label.startsWith(label))!.id;
  });

  test("the work order page shows the attached sheet; attaching from another organization is not found", async () => {
    const dispatcher = await signedIn(home, "dispatcher");
    const page = await dispatcher.page(`/fsm/work-orders/${workOrderNumber}`);
    expect(page.document.querySelector(`#sheet-${sheetId} summary`)?.textContent).toContain(
      "Visit checklist",
    );
    const stranger = await signedIn(away, "dispatcher");
    expect(
      (await stranger.post(`/fsm/work-orders/${workOrderNumber}/job-sheets/${sheetId}/detach`)).status,
    ).toBe(404);
  });

  test("the technician sees each kind's input; others cannot open or answer the sheet", async () => {
    const tech = await signedIn(home, "technician");
    const page = await tech.page(`/tech/appointments/${appointmentId}`);
    const input = (label: string) => page.document.querySelector(`#${answerField(itemId(label))}`);
    expect(input("Isolate")?.getAttribute("type")).toBe("checkbox");
    expect(input("Refrigerant")?.getAttribute("inputmode")).toBe("decimal");
    expect(input("Filter")?.getAttribute("type")).toBe("radio");
    expect(input("Coil")?.getAttribute("type")).toBe("file");
    expect(input("Notes")?.tagName).toBe("TEXTAREA");
    const form = input("Coil")?.closest("form");
    expect(form?.getAttribute("enctype")).toBe("multipart/form-data");
    expect(form?.getAttribute("action")).toBe(`/tech/appointments/${appointmentId}/job-sheets/${sheetId}`);

    const answer = { items: [itemId("Isolate")], [answerField(itemId("Isolate"))]: "yes" };
    const other = await new Client().signIn(strangerEmail);
    expect((await other.get(`/tech/appointments/${appointmentId}`)).status).toBe(404);
    expect(
      (await other.post(`/tech/appointments/${appointmentId}/job-sheets/${sheetId}`, answer)).status,
    ).toBe(404);
    const away1 = await signedIn(away, "technician");
    expect(
      (await away1.post(`/tech/appointments/${appointmentId}/job-sheets/${sheetId}`, answer)).status,
    ).toBe(404);
    const agent = await signedIn(home, "agent");
    expect(
      (await agent.post(`/tech/appointments/${appointmentId}/job-sheets/${sheetId}`, answer)).status,
    ).toBe(403);
  });

  test("a number out of range comes back marked with what was typed; completing waits for required items", async () => {
    const tech = await signedIn(home, "technician");
    const base = `/tech/appointments/${appointmentId}`;
    const refused = await tech.post(`${base}/job-sheets/${sheetId}`, {
      section: "steps",
      items: [itemId("Refrigerant"), itemId("Filter")],
      [answerField(itemId("Refrigerant"))]: "999",
      [answerField(itemId("Filter"))]: "Dirty",
    });
    expect(refused.status).toBe(422);
    const document = parse(await refused.text());
    const pressure = answerField(itemId("Refrigerant"));
    expect(document.querySelector(`#${pressure}-error`)?.textContent).toBe("Enter a number from 50 to 300.");
    expect(document.querySelector(`#${pressure}`)?.getAttribute("value")).toBe("999");
    expect(
      document
        .querySelector(`input[name="${answerField(itemId("Filter"))}"][value="Dirty"]`)
        ?.hasAttribute("checked"),
    ).toBe(true);

    await tech.post(`${base}/status`, { status: "travelling" });
    await tech.post(`${base}/status`, { status: "on_site" });
    const early = await tech.post(`${base}/status`, { status: "completed" });
    expect(early.status).toBe(409);
    const earlyPage = parse(await early.text());
    const alert = earlyPage.querySelector(".alert.error")?.textContent ?? "";
    expect(alert).toContain("Before the job: Isolate the power supply");
    expect(alert).toContain("Steps: Refrigerant pressure (psi)");
    expect(alert).toContain("After the job: Coil after cleaning");
    expect(alert).not.toContain("Notes for the customer");
    expect(earlyPage.querySelector(`#${pressure}-error`)?.textContent).toContain("Required");

    const answers: Record<string, string | string[] | File> = {
      items: [itemId("Isolate")],
      [answerField(itemId("Isolate"))]: "yes",
    };
    expect((await tech.post(`${base}/job-sheets/${sheetId}`, { section: "before", ...answers })).status).toBe(
      303,
    );
    const steps = await tech.post(`${base}/job-sheets/${sheetId}`, {
      section: "steps",
      items: [itemId("Refrigerant"), itemId("Filter")],
      [pressure]: "118.5",
      [answerField(itemId("Filter"))]: "Dirty",
    });
    expect(steps.status).toBe(303);
    expect(steps.headers.get("location")).toBe(`${base}?notice=checklist#sheet-${sheetId}`);
    const after = await tech.post(`${base}/job-sheets/${sheetId}`, {
      section: "after",
      items: [itemId("Coil"), itemId("Unit cooling")],
      [answerField(itemId("Coil"))]: await jpeg(),
      [answerField(itemId("Unit cooling"))]: "yes",
    });
    expect(after.status).toBe(303);
    const page = await tech.page(base);
    expect(page.document.querySelector(`#${pressure}`)?.getAttribute("value")).toBe("118.5");
    expect(page.document.querySelector("#checklist-open")).toBeNull();
    expect((await tech.post(`${base}/status`, { status: "completed" })).status).toBe(303);

    // The report lists the answers and embeds the item's photo; the work order page shows them too.
    const dispatcher = await signedIn(home, "dispatcher");
    const pdf = Buffer.from(await (await dispatcher.get(`${base}/report.pdf`)).arrayBuffer());
    const text = pdfText(pdf);
    expect(text).toContain("Job sheet: Visit checklist");
    expect(text).toContain("Refrigerant pressure (psi): 118.5");
    expect(text).toContain("Filter condition: Dirty");
    expect(text).toContain("Coil after cleaning: Photo attached");
    expect(text).toContain("Notes for the customer:");
    expect(pdf.toString("latin1").match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(1);
    const woPage = await dispatcher.page(`/fsm/work-orders/${workOrderNumber}`);
    expect(woPage.document.querySelector(`#sheet-${sheetId}`)?.textContent).toContain("118.5");
    // Finished: the checklist is read-only and refuses changes.
    const late = await tech.post(`${base}/job-sheets/${sheetId}`, {
      section: "steps",
      items: [itemId("Refrigerant")],
      [pressure]: "120",
    });
    expect(late.status).toBe(409);
  });
});
