CREATE TABLE "job_sheet_answers" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"value" text,
	"photo_id" uuid,
	"appointment_id" uuid NOT NULL,
	"answered_by" uuid,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_sheet_answers_given" CHECK ("job_sheet_answers"."value" is not null or "job_sheet_answers"."photo_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "job_sheet_template_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"section" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"help" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"options" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_value" double precision,
	"max_value" double precision
);
--> statement-breakpoint
CREATE TABLE "job_sheet_template_services" (
	"org_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "job_sheet_template_services_template_id_service_id_pk" PRIMARY KEY("template_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "job_sheet_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_sheet_templates_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "job_sheet_templates_org_name" UNIQUE("org_id","name")
);
--> statement-breakpoint
CREATE TABLE "work_order_job_sheet_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"sheet_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"section" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"help" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"options" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_value" double precision,
	"max_value" double precision,
	CONSTRAINT "work_order_job_sheet_items_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "work_order_job_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version" integer NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"attached_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_order_job_sheets_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "work_order_job_sheets_once" UNIQUE("org_id","work_order_id","template_id")
);
--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ADD CONSTRAINT "job_sheet_answers_item_fk" FOREIGN KEY ("org_id","item_id") REFERENCES "public"."work_order_job_sheet_items"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ADD CONSTRAINT "job_sheet_answers_appointment_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ADD CONSTRAINT "job_sheet_answers_photo_fk" FOREIGN KEY ("org_id","photo_id") REFERENCES "public"."appointment_photos"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ADD CONSTRAINT "job_sheet_answers_answered_by_fk" FOREIGN KEY ("org_id","answered_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_template_items" ADD CONSTRAINT "job_sheet_template_items_template_fk" FOREIGN KEY ("org_id","template_id") REFERENCES "public"."job_sheet_templates"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_template_services" ADD CONSTRAINT "job_sheet_template_services_template_fk" FOREIGN KEY ("org_id","template_id") REFERENCES "public"."job_sheet_templates"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_template_services" ADD CONSTRAINT "job_sheet_template_services_service_fk" FOREIGN KEY ("org_id","service_id") REFERENCES "public"."services"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sheet_templates" ADD CONSTRAINT "job_sheet_templates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_job_sheet_items" ADD CONSTRAINT "work_order_job_sheet_items_sheet_fk" FOREIGN KEY ("org_id","sheet_id") REFERENCES "public"."work_order_job_sheets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_job_sheets" ADD CONSTRAINT "work_order_job_sheets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_job_sheets" ADD CONSTRAINT "work_order_job_sheets_work_order_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_job_sheets" ADD CONSTRAINT "work_order_job_sheets_template_fk" FOREIGN KEY ("org_id","template_id") REFERENCES "public"."job_sheet_templates"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_job_sheets" ADD CONSTRAINT "work_order_job_sheets_attached_by_fk" FOREIGN KEY ("org_id","attached_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_sheet_template_items_template" ON "job_sheet_template_items" USING btree ("org_id","template_id","position");--> statement-breakpoint
CREATE INDEX "job_sheet_template_services_service" ON "job_sheet_template_services" USING btree ("org_id","service_id");--> statement-breakpoint
CREATE INDEX "work_order_job_sheet_items_sheet" ON "work_order_job_sheet_items" USING btree ("org_id","sheet_id","position");--> statement-breakpoint
-- Added by hand
-- Deleting an organization cascades to every table at once; these references to its other rows
-- (templates, photos, people) are checked at commit, when the referring rows are gone too.
ALTER TABLE "work_order_job_sheets" ALTER CONSTRAINT "work_order_job_sheets_template_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "work_order_job_sheets" ALTER CONSTRAINT "work_order_job_sheets_attached_by_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ALTER CONSTRAINT "job_sheet_answers_photo_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "job_sheet_answers" ALTER CONSTRAINT "job_sheet_answers_answered_by_fk" DEFERRABLE INITIALLY DEFERRED;
