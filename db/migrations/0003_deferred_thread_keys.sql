-- A new ticket's first message is written before the ticket row, so the row (and the
-- per-organization number it locks) comes last in the transaction: the thread's keys to the
-- ticket are checked at commit instead of at each statement.
ALTER TABLE "ticket_messages" ALTER CONSTRAINT "ticket_messages_org_id_ticket_id_tickets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "attachments" ALTER CONSTRAINT "attachments_org_id_ticket_id_tickets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
