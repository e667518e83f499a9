ALTER TABLE "ticket_messages" ADD COLUMN "author_label" text;--> statement-breakpoint
CREATE INDEX "attachments_ticket" ON "attachments" USING btree ("org_id","ticket_id");--> statement-breakpoint
-- ticket_counts takes an update on every ticket write: leave room on each page for HOT updates and
-- vacuum it after every thousand dead rows instead of after a fifth of the table.
ALTER TABLE "ticket_counts" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
