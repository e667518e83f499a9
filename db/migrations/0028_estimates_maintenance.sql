CREATE TABLE "estimate_line_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"estimate_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"service_id" uuid,
	"part_id" uuid,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"tax_basis_points" integer DEFAULT 0 NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "estimate_lines_quantity" CHECK ("estimate_line_items"."quantity" > 0),
	CONSTRAINT "estimate_lines_tax" CHECK ("estimate_line_items"."tax_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "estimates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"subject" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"contact_id" uuid NOT NULL,
	"company_id" uuid,
	"location_id" uuid,
	"ticket_id" uuid,
	"source_work_order_id" uuid,
	"currency" text NOT NULL,
	"valid_until" date NOT NULL,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"accepted_name" text,
	"accepted_ip" text,
	"accepted_by_user_id" uuid,
	"declined_at" timestamp with time zone,
	"decline_reason" text,
	"converted_work_order_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "estimates_org_number" UNIQUE("org_id","number"),
	CONSTRAINT "estimates_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "estimates_org_converted" UNIQUE("org_id","converted_work_order_id"),
	CONSTRAINT "estimates_status" CHECK ("estimates"."status" in ('draft','sent','accepted','declined','expired','converted')),
	CONSTRAINT "estimates_converted" CHECK (("estimates"."status" = 'converted') = ("estimates"."converted_work_order_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "maintenance_occurrences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"occurs_on" date NOT NULL,
	"work_order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_occurrences_plan_day" UNIQUE("org_id","plan_id","occurs_on"),
	CONSTRAINT "maintenance_occurrences_work_order" UNIQUE("org_id","work_order_id")
);
--> statement-breakpoint
CREATE TABLE "maintenance_plan_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"service_id" uuid,
	"part_id" uuid,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"tax_basis_points" integer DEFAULT 0 NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_plan_lines_quantity" CHECK ("maintenance_plan_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "maintenance_plan_skills" (
	"org_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	CONSTRAINT "maintenance_plan_skills_plan_id_skill_id_pk" PRIMARY KEY("plan_id","skill_id")
);
--> statement-breakpoint
CREATE TABLE "maintenance_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"asset_id" uuid,
	"location_id" uuid,
	"contact_id" uuid,
	"company_id" uuid,
	"priority" text DEFAULT 'normal' NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"recurrence_kind" text NOT NULL,
	"interval_count" integer,
	"interval_unit" text,
	"dates" date[],
	"rrule" text,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"active" boolean DEFAULT true NOT NULL,
	"lead_days" integer DEFAULT 14 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "maintenance_plans_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "maintenance_plans_target" CHECK ("maintenance_plans"."asset_id" is not null or "maintenance_plans"."location_id" is not null),
	CONSTRAINT "maintenance_plans_lead" CHECK ("maintenance_plans"."lead_days" between 0 and 365),
	CONSTRAINT "maintenance_plans_duration" CHECK ("maintenance_plans"."duration_minutes" between 1 and 1440),
	CONSTRAINT "maintenance_plans_end" CHECK ("maintenance_plans"."ends_on" is null or "maintenance_plans"."ends_on" >= "maintenance_plans"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "estimate_line_items" ADD CONSTRAINT "estimate_line_items_org_id_estimate_id_estimates_org_id_id_fk" FOREIGN KEY ("org_id","estimate_id") REFERENCES "public"."estimates"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_line_items" ADD CONSTRAINT "estimate_line_items_org_id_service_id_services_org_id_id_fk" FOREIGN KEY ("org_id","service_id") REFERENCES "public"."services"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimate_line_items" ADD CONSTRAINT "estimate_line_items_org_id_part_id_parts_org_id_id_fk" FOREIGN KEY ("org_id","part_id") REFERENCES "public"."parts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_company_id_companies_org_id_id_fk" FOREIGN KEY ("org_id","company_id") REFERENCES "public"."companies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_location_id_service_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."service_locations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_source_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","source_work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_converted_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","converted_work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_accepted_by_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","accepted_by_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estimates" ADD CONSTRAINT "estimates_org_id_created_by_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_occurrences" ADD CONSTRAINT "maintenance_occurrences_org_id_plan_id_maintenance_plans_org_id_id_fk" FOREIGN KEY ("org_id","plan_id") REFERENCES "public"."maintenance_plans"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_occurrences" ADD CONSTRAINT "maintenance_occurrences_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_lines" ADD CONSTRAINT "maintenance_plan_lines_org_id_plan_id_maintenance_plans_org_id_id_fk" FOREIGN KEY ("org_id","plan_id") REFERENCES "public"."maintenance_plans"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_lines" ADD CONSTRAINT "maintenance_plan_lines_org_id_service_id_services_org_id_id_fk" FOREIGN KEY ("org_id","service_id") REFERENCES "public"."services"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_lines" ADD CONSTRAINT "maintenance_plan_lines_org_id_part_id_parts_org_id_id_fk" FOREIGN KEY ("org_id","part_id") REFERENCES "public"."parts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_skills" ADD CONSTRAINT "maintenance_plan_skills_org_id_plan_id_maintenance_plans_org_id_id_fk" FOREIGN KEY ("org_id","plan_id") REFERENCES "public"."maintenance_plans"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plan_skills" ADD CONSTRAINT "maintenance_plan_skills_org_id_skill_id_skills_org_id_id_fk" FOREIGN KEY ("org_id","skill_id") REFERENCES "public"."skills"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_org_id_asset_id_assets_org_id_id_fk" FOREIGN KEY ("org_id","asset_id") REFERENCES "public"."assets"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_org_id_location_id_service_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."service_locations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_org_id_company_id_companies_org_id_id_fk" FOREIGN KEY ("org_id","company_id") REFERENCES "public"."companies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "estimate_lines_estimate" ON "estimate_line_items" USING btree ("org_id","estimate_id");--> statement-breakpoint
CREATE INDEX "estimates_org_status" ON "estimates" USING btree ("org_id","status","updated_at");--> statement-breakpoint
CREATE INDEX "estimates_org_contact" ON "estimates" USING btree ("org_id","contact_id");--> statement-breakpoint
CREATE INDEX "estimates_org_company" ON "estimates" USING btree ("org_id","company_id");--> statement-breakpoint
CREATE INDEX "maintenance_plan_lines_plan" ON "maintenance_plan_lines" USING btree ("org_id","plan_id");--> statement-breakpoint
CREATE INDEX "maintenance_plans_org_active" ON "maintenance_plans" USING btree ("org_id","active");--> statement-breakpoint
CREATE INDEX "maintenance_plans_asset" ON "maintenance_plans" USING btree ("org_id","asset_id");--> statement-breakpoint
CREATE INDEX "maintenance_plans_active" ON "maintenance_plans" USING btree ("active") WHERE "maintenance_plans"."active";--> statement-breakpoint
CREATE INDEX "events_org_estimate" ON "events" USING btree ("org_id",((case when jsonb_typeof("data") = 'string' then ("data" #>> '{}')::jsonb else "data" end) ->> 'estimateId'),"seq") WHERE "events"."type" like 'estimate.%';--> statement-breakpoint
-- Added by hand
-- Deleting an organization cascades to every table at once; these references to its other rows
-- (catalog, customers, work orders) are checked at commit, when the referring rows are gone too.
ALTER TABLE "estimate_line_items" ALTER CONSTRAINT "estimate_line_items_org_id_service_id_services_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimate_line_items" ALTER CONSTRAINT "estimate_line_items_org_id_part_id_parts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_company_id_companies_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_location_id_service_locations_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_ticket_id_tickets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_source_work_order_id_work_orders_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_converted_work_order_id_work_orders_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_accepted_by_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "estimates" ALTER CONSTRAINT "estimates_org_id_created_by_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_occurrences" ALTER CONSTRAINT "maintenance_occurrences_org_id_work_order_id_work_orders_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plan_lines" ALTER CONSTRAINT "maintenance_plan_lines_org_id_service_id_services_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plan_lines" ALTER CONSTRAINT "maintenance_plan_lines_org_id_part_id_parts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ALTER CONSTRAINT "maintenance_plans_org_id_asset_id_assets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ALTER CONSTRAINT "maintenance_plans_org_id_location_id_service_locations_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ALTER CONSTRAINT "maintenance_plans_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "maintenance_plans" ALTER CONSTRAINT "maintenance_plans_org_id_company_id_companies_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
