// Admin pages for mail: mailboxes (validation, secrets never shown back) and templates (placeholders
// checked, preview without saving, the next mail uses the new wording).
import { beforeAll, describe, expect, test } from "bun:test";
import { and, desc, eq } from "drizzle-orm";
import { mailboxes, outboxMessages } from "../../db/schema";
import { type Client, createOrg, type Fixture, parse, signedIn, testDatabase } from "../../test/helpers";
import { addMessage, createTicket } from "../domain/tickets/commands";

let home: Fixture;
let admin: Client;
let domain: string;

beforeAll(async () => {
  home = await createOrg("Mailadmin");
  admin = await signedIn(home, "admin");
  domain = `${home.orgId.slice(0, 8)}.admin.test`;
});

describe("/admin/mailboxes", () => {
  test("a bad form comes back with the fields marked and everything typed kept", async () => {
    const response = await admin.post("/admin/mailboxes", {
      name: "Support",
      address: "not an address",
      smtpUrl: "http://smtp.example.com",
      imapUrl: "imaps://user:secret@imap.example.com",
    });
    expect(response.status).toBe(422);
    const document = parse(await response.text());
    expect(document.querySelector("#address-error")?.textContent).toContain("email address");
    expect(document.querySelector("#smtpUrl-error")?.textContent).toContain("smtp://");
    expect(document.querySelector<HTMLInputElement>("#name")?.getAttribute("value")).toBe("Support");
    expect(document.querySelector("#imapUrl")?.getAttribute("value")).toBe(
      "imaps://user:secret@imap.example.com",
    );
  });

  test("passwords are shown as **** and kept when the form is saved unchanged", async () => {
    const address = `support@${domain}`;
    const created = await admin.post("/admin/mailboxes", {
      name: "Support",
      address,
      smtpUrl: "smtp://mailer:s3cret@smtp.example.com:587",
    });
    expect(created.status).toBe(303);
    const { db } = await testDatabase();
    const [row] = await db.select().from(mailboxes).where(eq(mailboxes.address, address));
    expect(row.isDefault).toBe(true);
    const page = await admin.page(`/admin/mailboxes/${row.id}`);
    const shown = page.document.querySelector("#smtpUrl")?.getAttribute("value");
    expect(shown).toBe("smtp://mailer:****@smtp.example.com:587");
    expect(await (await admin.get(`/admin/mailboxes/${row.id}`)).text()).not.toContain("s3cret");
    const saved = await admin.post(`/admin/mailboxes/${row.id}`, {
      name: "Front desk",
      address,
      smtpUrl: shown as string,
      imapFolder: "INBOX",
      isDefault: "1",
    });
    expect(saved.status).toBe(303);
    const [after] = await db.select().from(mailboxes).where(eq(mailboxes.id, row.id));
    expect(after).toMatchObject({ name: "Front desk", smtpUrl: "smtp://mailer:s3cret@smtp.example.com:587" });
  });

  test("an address another mailbox receives is refused; another organization's mailbox is not found", async () => {
    await admin.post("/admin/mailboxes", { name: "Billing", address: `billing@${domain}` });
    const again = await admin.post("/admin/mailboxes", { name: "Billing 2", address: `Billing@${domain}` });
    expect(again.status).toBe(422);
    expect(parse(await again.text()).querySelector("#address-error")?.textContent).toContain("already");
    const other = await createOrg("Mailadmin other");
    const otherAdmin = await signedIn(other, "admin");
    const { db } = await testDatabase();
    const [row] = await db
      .select()
      .from(mailboxes)
      .where(eq(mailboxes.address, `billing@${domain}`));
    expect((await otherAdmin.get(`/admin/mailboxes/${row.id}`)).status).toBe(404);
    expect((await otherAdmin.post(`/admin/mailboxes/${row.id}/delete`, {})).status).toBe(404);
    const [still] = await db.select().from(mailboxes).where(eq(mailboxes.id, row.id));
    expect(still).toBeTruthy();
  });
});

describe("/admin/email-templates", () => {
  test("a placeholder the mail does not fill is refused; preview does not save; the next reply uses saved wording", async () => {
    const path = "/admin/email-templates/ticket_reply";
    const wrong = await admin.post(path, {
      action: "save",
      subject: "{{ticket.numbr}} update",
      text: "{{message.body}}",
    });
    expect(wrong.status).toBe(422);
    const document = parse(await wrong.text());
    expect(document.querySelector("#subject-error")?.textContent).toContain("{{ticket.numbr}}");
    expect(document.querySelector("#subject")?.getAttribute("value")).toBe("{{ticket.numbr}} update");

    const preview = await admin.post(path, {
      action: "preview",
      subject: "Update on {{ticket.number}}",
      text: "Hi {{contact.name}},\n{{message.body}}",
      html: "<p>{{message.body}}</p>",
    });
    expect(preview.status).toBe(200);
    const previewDoc = parse(await preview.text());
    expect(previewDoc.querySelector(".card pre")?.textContent).toContain("Hi Chong Mei Ling");
    const afterPreview = await admin.page(path);
    expect(afterPreview.document.querySelector("#subject")?.getAttribute("value")).toBe(
      "[{{ticket.number}}] {{ticket.subject}}",
    );

    const saved = await admin.post(path, {
      action: "save",
      subject: "Update on {{ticket.number}}",
      text: "Hi {{contact.name}},\n{{message.body}}",
      html: "<p>{{message.body}}</p>",
    });
    expect(saved.status).toBe(303);
    const ticket = await createTicket(home.ctx("agent"), {
      subject: "T",
      body: "x",
      requesterEmail: "tpl@client.test",
    });
    await addMessage(home.ctx("agent"), ticket.number, { kind: "reply", body: "Fixed <now> & done" });
    const { db } = await testDatabase();
    const [mail] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, home.orgId), eq(outboxMessages.ticketId, ticket.id)))
      .orderBy(desc(outboxMessages.createdAt));
    expect(mail.subject).toMatch(/^Update on TKT-\d{6}$/);
    expect(mail.textBody).toBe("Hi tpl,\nFixed <now> & done");
    expect(mail.htmlBody).toBe("<p>Fixed &lt;now&gt; &amp; done</p>");

    expect((await admin.post(`${path}/reset`, {})).status).toBe(303);
    const reset = await admin.page(path);
    expect(reset.document.querySelector("#subject")?.getAttribute("value")).toBe(
      "[{{ticket.number}}] {{ticket.subject}}",
    );
  });
});
