ALTER TABLE "ticket_sla_state" ADD COLUMN "plan" text;--> statement-breakpoint
ALTER TABLE "ticket_sla_state" ADD COLUMN "plan_done_until" timestamp with time zone;