// Invoices over HTTP: staff's pages under /fsm/invoices (list, create, the invoice with its lines,
// sending, payments, voiding, its PDF) and the customer's under /portal/invoices (read and download).
import { Elysia } from "elysia";
import type { SessionUser } from "../domain/auth/sessions";
import { type Ctx, can } from "../domain/context";
import { parseWorkOrderNumber } from "../domain/fsm/rules";
import { contactByEmail, workOrderChoices } from "../domain/fsm/workOrders";
import {
  addInvoiceLine,
  createInvoice,
  getInvoice,
  listInvoices,
  listOwnInvoices,
  parseInvoiceFilters,
  recordPayment,
  removeInvoiceLine,
  sendInvoice,
  updateInvoice,
  updateInvoiceLine,
  voidInvoice,
} from "../domain/invoicing/invoices";
import { invoicePdf } from "../domain/invoicing/pdf";
import { formatInvoiceNumber, invoiceNumbers } from "../domain/invoicing/rules";
import { organizationTimeZone } from "../domain/orgs/resolve";
import { InvoiceListPage, InvoicePage, NewInvoicePage } from "../views/fsm/invoices";
import type { Failed } from "../views/fsm/workOrders";
import { PortalInvoicePage, PortalInvoicesPage } from "../views/portal/invoices";
import type { Deps } from "./deps";
import { failedFrom, field, lineInputFrom, requireUserWith, seeOther, viewerOf, webContext } from "./web";

const NOTICES: Record<string, string> = {
  created: "Draft created. Check its lines, then send it.",
  saved: "Draft saved.",
  line: "Line added.",
  changed: "Line changed.",
  removed: "Line removed.",
  sent: "Invoice sent to the customer.",
  reminded: "Reminder sent to the customer.",
  payment: "Payment recorded.",
  paid: "Payment recorded; the invoice is paid.",
  voided: "Invoice voided.",
};

/** "INV-000012" (or "INV-000012.pdf" when `pdf`) → 12; anything else is not found. */
function invoiceNumberParam(value: string, options: { pdf?: boolean } = {}): number {
  return invoiceNumbers.param(options.pdf ? value.replace(/\.pdf$/i, "") : value);
}

const isPdf = (value: string) => /\.pdf$/i.test(value);

function pdfResponse({ number, pdf }: { number: string; pdf: Buffer }) {
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${number}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}

async function invoicePage(
  ctx: Ctx,
  csrf: string,
  number: number,
  extra: { notice?: string; failed?: Failed; editLineId?: string } = {},
) {
  const [detail, choices, timeZone] = await Promise.all([
    getInvoice(ctx, number),
    workOrderChoices(ctx),
    organizationTimeZone(ctx.db, ctx.actor.orgId),
  ]);
  return (
    <InvoicePage
      csrf={csrf}
      viewer={viewerOf(ctx.actor as SessionUser)}
      detail={detail}
      choices={choices}
      timeZone={timeZone}
      canManage={can(ctx.actor, "invoices.manage")}
      {...extra}
    />
  );
}

export function invoiceRoutes(deps: Deps) {
  return new Elysia()
    .use(webContext(deps))
    .get("/fsm/invoices", async ({ user, csrf, ctxFor, query }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.read"));
      return (
        <InvoiceListPage
          csrf={csrf}
          viewer={viewerOf(ctx.actor as SessionUser)}
          rows={await listInvoices(ctx, parseInvoiceFilters(query))}
          filters={parseInvoiceFilters(query)}
          canManage={can(ctx.actor, "invoices.manage")}
        />
      );
    })
    .get("/fsm/invoices/new", ({ user, csrf, query }) => {
      const me = requireUserWith(user, "invoices.manage");
      const values = { workOrder: typeof query.workOrder === "string" ? query.workOrder : "" };
      return <NewInvoicePage csrf={csrf} viewer={viewerOf(me)} values={values} />;
    })
    .post("/fsm/invoices", async ({ user, csrf, ctxFor, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      try {
        const workOrder = field(body, "workOrder").trim();
        const email = field(body, "contactEmail").trim();
        const invoice = await createInvoice(ctx, {
          // An unknown address is passed as such and comes back as the customer field's error.
          contactId: email ? ((await contactByEmail(ctx, email)) ?? "unknown") : null,
          subject: field(body, "subject"),
          notes: field(body, "notes"),
          paymentTermsDays: field(body, "paymentTermsDays"),
          // An unreadable number is passed as typed and comes back as a field error.
          workOrder: workOrder ? (parseWorkOrderNumber(workOrder) ?? workOrder) : null,
        });
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(invoice.number)}?notice=created`);
      } catch (error) {
        const failed = failedFrom(error, "create", body);
        if (failed.fields.contactId && failed.values.contactEmail?.trim())
          failed.fields.contactId = "No customer has that email address.";
        set.status = (error as { status: number }).status;
        return (
          <NewInvoicePage
            csrf={csrf}
            viewer={viewerOf(ctx.actor as SessionUser)}
            values={failed.values}
            fields={failed.fields}
            message={failed.message}
          />
        );
      }
    })
    .get("/fsm/invoices/:number", async ({ user, csrf, ctxFor, params, query }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.read"));
      if (isPdf(params.number))
        return pdfResponse(await invoicePdf(ctx, invoiceNumberParam(params.number, { pdf: true })));
      return invoicePage(ctx, csrf, invoiceNumberParam(params.number), {
        notice: NOTICES[query.notice ?? ""],
        editLineId: typeof query.line === "string" ? query.line : undefined,
      });
    })
    .post("/fsm/invoices/:number", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      const number = invoiceNumberParam(params.number);
      try {
        await updateInvoice(ctx, number, {
          subject: field(body, "subject"),
          notes: field(body, "notes"),
          paymentTermsDays: field(body, "paymentTermsDays"),
        });
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=saved`);
      } catch (error) {
        const failed = failedFrom(error, "header", body);
        set.status = (error as { status: number }).status;
        return invoicePage(ctx, csrf, number, { failed });
      }
    })
    .post("/fsm/invoices/:number/lines", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      const number = invoiceNumberParam(params.number);
      try {
        await addInvoiceLine(ctx, number, lineInputFrom(body));
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=line`);
      } catch (error) {
        const failed = failedFrom(error, "line", body);
        set.status = (error as { status: number }).status;
        return invoicePage(ctx, csrf, number, { failed });
      }
    })
    .post(
      "/fsm/invoices/:number/lines/:lineId",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
        const number = invoiceNumberParam(params.number);
        try {
          await updateInvoiceLine(ctx, number, params.lineId, lineInputFrom(body));
          return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=changed`);
        } catch (error) {
          const failed = failedFrom(error, "change-line", body);
          set.status = (error as { status: number }).status;
          return invoicePage(ctx, csrf, number, { failed, editLineId: params.lineId });
        }
      },
    )
    .post(
      "/fsm/invoices/:number/lines/:lineId/delete",
      async ({ user, csrf, ctxFor, params, body, set, request }) => {
        const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
        const number = invoiceNumberParam(params.number);
        try {
          await removeInvoiceLine(ctx, number, params.lineId);
          return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=removed`);
        } catch (error) {
          const failed = failedFrom(error, "remove", body);
          set.status = (error as { status: number }).status;
          return invoicePage(ctx, csrf, number, { failed });
        }
      },
    )
    .post("/fsm/invoices/:number/send", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      const number = invoiceNumberParam(params.number);
      const reminder = field(body, "reminder") === "1";
      try {
        await sendInvoice(ctx, number, { origin: new URL(request.url).origin, reminder });
        const notice = reminder ? "reminded" : "sent";
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=${notice}`);
      } catch (error) {
        // A refused send (no lines, no address) says why above the page.
        const failed = failedFrom(error, "send", body);
        set.status = (error as { status: number }).status;
        return invoicePage(ctx, csrf, number, { failed });
      }
    })
    .post("/fsm/invoices/:number/payments", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      const number = invoiceNumberParam(params.number);
      try {
        const { invoice } = await recordPayment(ctx, number, {
          amount: field(body, "amount"),
          receivedOn: field(body, "receivedOn"),
          method: field(body, "method"),
          reference: field(body, "reference"),
        });
        const notice = invoice.status === "paid" ? "paid" : "payment";
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=${notice}`);
      } catch (error) {
        const failed = failedFrom(error, "payment", body);
        set.status = (error as { status: number }).status;
        return invoicePage(ctx, csrf, number, { failed });
      }
    })
    .post("/fsm/invoices/:number/void", async ({ user, csrf, ctxFor, params, body, set, request }) => {
      const ctx = ctxFor(requireUserWith(user, "invoices.manage"));
      const number = invoiceNumberParam(params.number);
      try {
        await voidInvoice(ctx, number, { reason: field(body, "reason") });
        return seeOther(set, request, `/fsm/invoices/${formatInvoiceNumber(number)}?notice=voided`);
      } catch (error) {
        const failed = failedFrom(error, "void", body);
        set.status = (error as { status: number }).status;
        return invoicePage(ctx, csrf, number, { failed });
      }
    })
    .get("/portal/invoices", async ({ user, csrf, ctxFor }) => {
      const me = requireUserWith(user, "invoices.view_own");
      return (
        <PortalInvoicesPage csrf={csrf} viewer={viewerOf(me)} invoices={await listOwnInvoices(ctxFor(me))} />
      );
    })
    .get("/portal/invoices/:number", async ({ user, csrf, ctxFor, params }) => {
      const me = requireUserWith(user, "invoices.view_own");
      const ctx = ctxFor(me);
      if (isPdf(params.number))
        return pdfResponse(await invoicePdf(ctx, invoiceNumberParam(params.number, { pdf: true })));
      const detail = await getInvoice(ctx, invoiceNumberParam(params.number));
      return <PortalInvoicePage csrf={csrf} viewer={viewerOf(me)} detail={detail} />;
    });
}
