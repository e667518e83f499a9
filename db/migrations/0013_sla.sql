CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"weekly" jsonb NOT NULL,
	"team_id" uuid,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "business_calendars_org_name" UNIQUE("org_id","name"),
	CONSTRAINT "business_calendars_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "calendar_holidays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"calendar_id" uuid NOT NULL,
	"date" text NOT NULL,
	"name" text NOT NULL,
	"start_time" text,
	"end_time" text,
	CONSTRAINT "calendar_holidays_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"conditions" jsonb NOT NULL,
	"targets" jsonb NOT NULL,
	"pause_statuses" text[] DEFAULT '{pending,on_hold}'::text[] NOT NULL,
	"calendar_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sla_policies_org_name" UNIQUE("org_id","name"),
	CONSTRAINT "sla_policies_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "sla_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"escalation_user_id" uuid,
	"escalation_email" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_next_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_breached" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_attention_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_team_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_holidays" ADD CONSTRAINT "calendar_holidays_calendar_fk" FOREIGN KEY ("org_id","calendar_id") REFERENCES "public"."business_calendars"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_fk" FOREIGN KEY ("org_id","calendar_id") REFERENCES "public"."business_calendars"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_settings" ADD CONSTRAINT "sla_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_settings" ADD CONSTRAINT "sla_settings_escalation_user_fk" FOREIGN KEY ("org_id","escalation_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "business_calendars_org_default" ON "business_calendars" USING btree ("org_id") WHERE is_default;--> statement-breakpoint
CREATE INDEX "calendar_holidays_calendar" ON "calendar_holidays" USING btree ("org_id","calendar_id","date");--> statement-breakpoint
CREATE INDEX "sla_policies_org_position" ON "sla_policies" USING btree ("org_id","position");--> statement-breakpoint
CREATE INDEX "tickets_org_sla_due" ON "tickets" USING btree ("org_id",coalesce("sla_next_due_at", '9999-12-31 00:00:00+00'::timestamptz),"id") WHERE status in ('new','open','pending','on_hold');--> statement-breakpoint
CREATE INDEX "tickets_sla_attention" ON "tickets" USING btree ("sla_attention_at") WHERE sla_attention_at is not null;--> statement-breakpoint
-- As in 0004: deleting an organization cascades along several paths at once, so keys between its
-- own rows are checked at commit, when the cascade has finished.
ALTER TABLE "business_calendars" ALTER CONSTRAINT "business_calendars_team_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "sla_policies" ALTER CONSTRAINT "sla_policies_calendar_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "sla_settings" ALTER CONSTRAINT "sla_settings_escalation_user_fk" DEFERRABLE INITIALLY DEFERRED;
