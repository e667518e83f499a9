DROP INDEX "tickets_sla_attention";--> statement-breakpoint
ALTER TABLE "tickets" DROP COLUMN "sla_attention_at";