CREATE TABLE "optimizer_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"technician_user_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"options" jsonb NOT NULL,
	"problem" jsonb NOT NULL,
	"basis" jsonb NOT NULL,
	"progress" jsonb,
	"proposal" jsonb,
	"before_metrics" jsonb,
	"after_metrics" jsonb,
	"error" text,
	"started_by" uuid NOT NULL,
	"finished_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "optimizer_runs_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "optimizer_runs_status" CHECK ("optimizer_runs"."status" in ('running', 'done', 'failed', 'applied', 'discarded'))
);
--> statement-breakpoint
ALTER TABLE "optimizer_runs" ADD CONSTRAINT "optimizer_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizer_runs" ADD CONSTRAINT "optimizer_runs_org_id_started_by_users_org_id_id_fk" FOREIGN KEY ("org_id","started_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizer_runs" ADD CONSTRAINT "optimizer_runs_org_id_finished_by_users_org_id_id_fk" FOREIGN KEY ("org_id","finished_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "optimizer_runs_org_day" ON "optimizer_runs" USING btree ("org_id","day","created_at");