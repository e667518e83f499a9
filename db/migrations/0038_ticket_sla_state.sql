CREATE TABLE "ticket_sla_state" (
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"attention_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_sla_state_org_id_ticket_id_pk" PRIMARY KEY("org_id","ticket_id")
);
--> statement-breakpoint
ALTER TABLE "ticket_sla_state" ADD CONSTRAINT "ticket_sla_state_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_sla_state_attention" ON "ticket_sla_state" USING btree ("attention_at","ticket_id");--> statement-breakpoint
-- Added by hand
-- The look-in times already stored on ticket rows move to the new table (the next migration drops
-- the column); a ticket without one has no escalation step ahead and gets no row.
INSERT INTO "ticket_sla_state" ("org_id", "ticket_id", "attention_at")
SELECT "org_id", "id", "sla_attention_at" FROM "tickets" WHERE "sla_attention_at" IS NOT NULL;
