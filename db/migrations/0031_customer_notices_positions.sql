CREATE TABLE "customer_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"work_order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text,
	"outbox_message_id" uuid,
	"text_message_id" uuid,
	"window_starts_at" timestamp with time zone NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"eta_at" timestamp with time zone,
	"technician_ids" uuid[] NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_notices_org_key" UNIQUE("org_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "technician_locations" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sharing" boolean NOT NULL,
	"sharing_changed_at" timestamp with time zone NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"accuracy_m" integer,
	"recorded_at" timestamp with time zone,
	CONSTRAINT "technician_locations_org_id_user_id_pk" PRIMARY KEY("org_id","user_id"),
	CONSTRAINT "technician_locations_lat" CHECK ("technician_locations"."lat" is null or "technician_locations"."lat" between -90 and 90),
	CONSTRAINT "technician_locations_lng" CHECK ("technician_locations"."lng" is null or "technician_locations"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "technician_trail" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"accuracy_m" integer,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_notices" ADD CONSTRAINT "customer_notices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_notices" ADD CONSTRAINT "customer_notices_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_notices" ADD CONSTRAINT "customer_notices_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technician_locations" ADD CONSTRAINT "technician_locations_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technician_trail" ADD CONSTRAINT "technician_trail_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_notices_appointment" ON "customer_notices" USING btree ("org_id","appointment_id","created_at");--> statement-breakpoint
CREATE INDEX "customer_notices_work_order" ON "customer_notices" USING btree ("org_id","work_order_id","created_at");--> statement-breakpoint
CREATE INDEX "technician_trail_user" ON "technician_trail" USING btree ("org_id","user_id","recorded_at");--> statement-breakpoint
CREATE INDEX "technician_trail_recorded" ON "technician_trail" USING btree ("recorded_at");