// The invoice as a PDF, made on the server with PDFKit like the service report: for staff to
// print or attach, and for the customer to download from the portal.
import PDFDocument from "pdfkit";
import type { Ctx } from "../context";
import { orgForMail } from "../email/outbox";
import { LINE_KIND_LABELS } from "../fsm/lines";
import { formatMoney, formatPercent, lineAmounts } from "../fsm/money";
import { formatWorkOrderNumber } from "../fsm/rules";
import { getInvoice, type InvoiceDetail, type InvoiceRef } from "./invoices";
import { formatInvoiceNumber, INVOICE_STATUS_LABELS, PAYMENT_METHOD_LABELS } from "./rules";

/** The PDF of an invoice the actor may see (the same check as its page). */
export async function invoicePdf(ctx: Ctx, ref: InvoiceRef): Promise<{ number: string; pdf: Buffer }> {
  const detail = await getInvoice(ctx, ref);
  const org = await orgForMail(ctx.db, ctx.actor.orgId);
  return {
    number: formatInvoiceNumber(detail.invoice.number),
    pdf: await renderInvoicePdf(detail, org.name),
  };
}

/** Columns of the lines table: item, quantity, unit price, tax, amount (points from the left margin). */
const COLUMNS = { item: 0, qty: 260, unit: 300, tax: 380, amount: 420 } as const;
const AMOUNT_WIDTH = 79;

export async function renderInvoicePdf(detail: InvoiceDetail, orgName: string): Promise<Buffer> {
  const inv = detail.invoice;
  const number = formatInvoiceNumber(inv.number);
  const money = (minor: number) => formatMoney(minor, inv.currency);
  const doc = new PDFDocument({ size: "A4", margin: 48, info: { Title: `Invoice ${number}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  const left = doc.page.margins.left;
  const heading = (text: string) =>
    doc.moveDown(0.8).font("Helvetica-Bold").fontSize(12).text(text, left).font("Helvetica").fontSize(10);
  const row = (
    cells: { item: string; qty: string; unit: string; tax: string; amount: string },
    bold = false,
  ) => {
    const y = doc.y;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica");
    doc.text(cells.item, left + COLUMNS.item, y, { width: COLUMNS.qty - 8 });
    const bottom = doc.y;
    const right = (text: string, x: number, width: number) =>
      doc.text(text, left + x, y, { width, align: "right" });
    right(cells.qty, COLUMNS.qty, 32);
    right(cells.unit, COLUMNS.unit, 76);
    right(cells.tax, COLUMNS.tax, 36);
    right(cells.amount, COLUMNS.amount, AMOUNT_WIDTH);
    doc.font("Helvetica").text("", left, Math.max(bottom, doc.y) + 2);
  };
  const sum = (label: string, minor: number, bold = false) =>
    row({ item: "", qty: "", unit: "", tax: label, amount: money(minor) }, bold);

  doc.font("Helvetica-Bold").fontSize(18).text(`Invoice ${number}`);
  doc.font("Helvetica").fontSize(10).fillColor("#444").text(orgName).fillColor("black");
  doc.moveDown(0.5).fontSize(12).text(inv.subject);
  doc.fontSize(10).moveDown(0.5);
  doc.text(`Status: ${INVOICE_STATUS_LABELS[detail.status]}`);
  doc.text(`Issued: ${inv.issueDate}    Due: ${inv.dueDate}`);
  if (detail.contact)
    doc.text(`Bill to: ${detail.contact.name}${detail.contact.email ? `, ${detail.contact.email}` : ""}`);
  if (detail.location) doc.text(`Service location: ${detail.location.name}, ${detail.location.address}`);
  if (detail.workOrder) doc.text(`Work order: ${formatWorkOrderNumber(detail.workOrder.number)}`);

  heading("Lines");
  row({ item: "Item", qty: "Qty", unit: "Unit price", tax: "Tax", amount: "Amount" }, true);
  for (const line of detail.lines)
    row({
      item: `${LINE_KIND_LABELS[line.kind]}: ${line.description}`,
      qty: String(line.quantity),
      unit: money(line.unitPriceMinor),
      tax: formatPercent(line.taxBasisPoints),
      amount: money(lineAmounts(line).netMinor),
    });
  doc.moveDown(0.5);
  sum("Subtotal", detail.totals.subtotalMinor);
  for (const rate of detail.totals.taxByRate.filter((r) => r.taxBasisPoints > 0))
    sum(`Tax ${formatPercent(rate.taxBasisPoints)}`, rate.taxMinor);
  sum("Total", detail.totals.totalMinor, true);
  if (detail.payments.length) {
    sum("Paid", detail.paidMinor);
    sum("Balance due", detail.balanceMinor, true);
  }

  if (detail.payments.length) {
    heading("Payments received");
    for (const p of detail.payments)
      doc.text(
        `${p.receivedOn}  ${PAYMENT_METHOD_LABELS[p.method]}${p.reference ? ` (${p.reference})` : ""}  ${money(p.amountMinor)}`,
      );
  }
  if (inv.status === "void") {
    heading("Void");
    doc.text(inv.voidReason ?? "");
  }
  if (inv.notes) {
    heading("Notes");
    doc.text(inv.notes);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
