CREATE TABLE "appointment_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"user_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_technicians" (
	"org_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "appointment_technicians_appointment_id_user_id_pk" PRIMARY KEY("appointment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cannot_complete_reason" text,
	"signed_name" text,
	"signature_sha256" text,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "appointments_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "appointments_window" CHECK ("appointments"."ends_at" > "appointments"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"location_id" uuid,
	"type" text NOT NULL,
	"make" text,
	"model" text,
	"serial" text,
	"installed_on" date,
	"warranty_ends_on" date,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assets_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "certifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"technician_id" uuid NOT NULL,
	"name" text NOT NULL,
	"expires_on" date
);
--> statement-breakpoint
CREATE TABLE "work_order_line_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"appointment_id" uuid,
	"kind" text NOT NULL,
	"service_id" uuid,
	"part_id" uuid,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"tax_basis_points" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "line_items_quantity" CHECK ("work_order_line_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"cost_minor" bigint NOT NULL,
	"price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"tax_basis_points" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "parts_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "parts_org_sku" UNIQUE("org_id","sku")
);
--> statement-breakpoint
CREATE TABLE "service_locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"contact_id" uuid,
	"company_id" uuid,
	"zone_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_locations_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"tax_basis_points" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "services_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "services_org_name" UNIQUE("org_id","name")
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "skills_org_name" UNIQUE("org_id","name"),
	CONSTRAINT "skills_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "technician_skills" (
	"org_id" uuid NOT NULL,
	"technician_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"level" integer NOT NULL,
	CONSTRAINT "technician_skills_technician_id_skill_id_pk" PRIMARY KEY("technician_id","skill_id"),
	CONSTRAINT "technician_skills_level" CHECK ("technician_skills"."level" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "technicians" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"zone_id" uuid,
	"home_lat" double precision,
	"home_lng" double precision,
	"work_start_minute" integer DEFAULT 480 NOT NULL,
	"work_end_minute" integer DEFAULT 1020 NOT NULL,
	"work_days" integer[] DEFAULT '{1,2,3,4,5}'::integer[] NOT NULL,
	"max_jobs_per_day" integer DEFAULT 6 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "technicians_org_user" UNIQUE("org_id","user_id"),
	CONSTRAINT "technicians_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "technicians_hours" CHECK ("technicians"."work_start_minute" >= 0 and "technicians"."work_end_minute" <= 1440)
);
--> statement-breakpoint
CREATE TABLE "time_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_order_skills" (
	"org_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"min_level" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "work_order_skills_work_order_id_skill_id_pk" PRIMARY KEY("work_order_id","skill_id"),
	CONSTRAINT "work_order_skills_level" CHECK ("work_order_skills"."min_level" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"subject" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"ticket_id" uuid,
	"contact_id" uuid,
	"company_id" uuid,
	"location_id" uuid,
	"asset_id" uuid,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_orders_org_number" UNIQUE("org_id","number"),
	CONSTRAINT "work_orders_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "zones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	CONSTRAINT "zones_org_code" UNIQUE("org_id","code"),
	CONSTRAINT "zones_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "appointment_notes" ADD CONSTRAINT "appointment_notes_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_notes" ADD CONSTRAINT "appointment_notes_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_technicians" ADD CONSTRAINT "appointment_technicians_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_technicians" ADD CONSTRAINT "appointment_technicians_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_org_id_location_id_service_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."service_locations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_org_id_technician_id_technicians_org_id_id_fk" FOREIGN KEY ("org_id","technician_id") REFERENCES "public"."technicians"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_line_items" ADD CONSTRAINT "work_order_line_items_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_line_items" ADD CONSTRAINT "work_order_line_items_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_line_items" ADD CONSTRAINT "work_order_line_items_org_id_service_id_services_org_id_id_fk" FOREIGN KEY ("org_id","service_id") REFERENCES "public"."services"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_line_items" ADD CONSTRAINT "work_order_line_items_org_id_part_id_parts_org_id_id_fk" FOREIGN KEY ("org_id","part_id") REFERENCES "public"."parts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_locations" ADD CONSTRAINT "service_locations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_locations" ADD CONSTRAINT "service_locations_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_locations" ADD CONSTRAINT "service_locations_org_id_company_id_companies_org_id_id_fk" FOREIGN KEY ("org_id","company_id") REFERENCES "public"."companies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_locations" ADD CONSTRAINT "service_locations_org_id_zone_id_zones_org_id_id_fk" FOREIGN KEY ("org_id","zone_id") REFERENCES "public"."zones"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skills" ADD CONSTRAINT "skills_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technician_skills" ADD CONSTRAINT "technician_skills_org_id_technician_id_technicians_org_id_id_fk" FOREIGN KEY ("org_id","technician_id") REFERENCES "public"."technicians"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technician_skills" ADD CONSTRAINT "technician_skills_org_id_skill_id_skills_org_id_id_fk" FOREIGN KEY ("org_id","skill_id") REFERENCES "public"."skills"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technicians" ADD CONSTRAINT "technicians_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technicians" ADD CONSTRAINT "technicians_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technicians" ADD CONSTRAINT "technicians_org_id_zone_id_zones_org_id_id_fk" FOREIGN KEY ("org_id","zone_id") REFERENCES "public"."zones"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "time_entries" ADD CONSTRAINT "time_entries_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_skills" ADD CONSTRAINT "work_order_skills_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_order_skills" ADD CONSTRAINT "work_order_skills_org_id_skill_id_skills_org_id_id_fk" FOREIGN KEY ("org_id","skill_id") REFERENCES "public"."skills"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_company_id_companies_org_id_id_fk" FOREIGN KEY ("org_id","company_id") REFERENCES "public"."companies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_location_id_service_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."service_locations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_org_id_asset_id_assets_org_id_id_fk" FOREIGN KEY ("org_id","asset_id") REFERENCES "public"."assets"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zones" ADD CONSTRAINT "zones_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointment_notes_appointment" ON "appointment_notes" USING btree ("org_id","appointment_id","created_at");--> statement-breakpoint
CREATE INDEX "appointment_technicians_user" ON "appointment_technicians" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE INDEX "appointments_work_order" ON "appointments" USING btree ("org_id","work_order_id");--> statement-breakpoint
CREATE INDEX "appointments_org_starts" ON "appointments" USING btree ("org_id","starts_at");--> statement-breakpoint
CREATE INDEX "assets_location" ON "assets" USING btree ("org_id","location_id");--> statement-breakpoint
CREATE INDEX "certifications_technician" ON "certifications" USING btree ("org_id","technician_id");--> statement-breakpoint
CREATE INDEX "line_items_work_order" ON "work_order_line_items" USING btree ("org_id","work_order_id");--> statement-breakpoint
CREATE INDEX "service_locations_contact" ON "service_locations" USING btree ("org_id","contact_id");--> statement-breakpoint
CREATE INDEX "time_entries_appointment" ON "time_entries" USING btree ("org_id","appointment_id");--> statement-breakpoint
CREATE INDEX "work_orders_org_status" ON "work_orders" USING btree ("org_id","status","updated_at");--> statement-breakpoint
CREATE INDEX "work_orders_org_ticket" ON "work_orders" USING btree ("org_id","ticket_id");--> statement-breakpoint
-- Deleting an organization cascades along several paths at once (see 0004_organization_delete.sql):
-- references that do not cascade themselves are checked at commit, when the cascade has finished.
ALTER TABLE "appointment_notes" ALTER CONSTRAINT "appointment_notes_org_id_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "appointment_technicians" ALTER CONSTRAINT "appointment_technicians_org_id_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "assets" ALTER CONSTRAINT "assets_org_id_location_id_service_locations_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_order_line_items" ALTER CONSTRAINT "work_order_line_items_org_id_service_id_services_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_order_line_items" ALTER CONSTRAINT "work_order_line_items_org_id_part_id_parts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "service_locations" ALTER CONSTRAINT "service_locations_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "service_locations" ALTER CONSTRAINT "service_locations_org_id_company_id_companies_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "service_locations" ALTER CONSTRAINT "service_locations_org_id_zone_id_zones_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "technicians" ALTER CONSTRAINT "technicians_org_id_zone_id_zones_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "time_entries" ALTER CONSTRAINT "time_entries_org_id_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_orders" ALTER CONSTRAINT "work_orders_org_id_ticket_id_tickets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_orders" ALTER CONSTRAINT "work_orders_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_orders" ALTER CONSTRAINT "work_orders_org_id_company_id_companies_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_orders" ALTER CONSTRAINT "work_orders_org_id_location_id_service_locations_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "work_orders" ALTER CONSTRAINT "work_orders_org_id_asset_id_assets_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
