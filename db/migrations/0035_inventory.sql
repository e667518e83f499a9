CREATE TABLE "stock_levels" (
	"org_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"part_id" uuid NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"reorder_level" integer,
	"below_reorder_since" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_levels_org_id_location_id_part_id_pk" PRIMARY KEY("org_id","location_id","part_id"),
	CONSTRAINT "stock_levels_reorder" CHECK ("stock_levels"."reorder_level" is null or "stock_levels"."reorder_level" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"technician_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_locations_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "stock_locations_org_name" UNIQUE("org_id","name"),
	CONSTRAINT "stock_locations_org_technician" UNIQUE("org_id","technician_user_id"),
	CONSTRAINT "stock_locations_van_has_technician" CHECK (("stock_locations"."kind" = 'van') = ("stock_locations"."technician_user_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"location_id" uuid NOT NULL,
	"part_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"transfer_id" uuid,
	"work_order_id" uuid,
	"appointment_id" uuid,
	"line_item_id" uuid,
	"supplier" text,
	"reference" text,
	"unit_cost_minor" bigint,
	"currency" text,
	"reason" text,
	"override" boolean DEFAULT false NOT NULL,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_movements_nonzero" CHECK ("stock_movements"."quantity" <> 0),
	CONSTRAINT "stock_movements_override_reason" CHECK (not "stock_movements"."override" or "stock_movements"."reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_org_id_location_id_stock_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."stock_locations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_org_id_part_id_parts_org_id_id_fk" FOREIGN KEY ("org_id","part_id") REFERENCES "public"."parts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_locations" ADD CONSTRAINT "stock_locations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_locations" ADD CONSTRAINT "stock_locations_org_id_technician_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","technician_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_location_id_stock_locations_org_id_id_fk" FOREIGN KEY ("org_id","location_id") REFERENCES "public"."stock_locations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_part_id_parts_org_id_id_fk" FOREIGN KEY ("org_id","part_id") REFERENCES "public"."parts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_work_order_id_work_orders_org_id_id_fk" FOREIGN KEY ("org_id","work_order_id") REFERENCES "public"."work_orders"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_appointment_id_appointments_org_id_id_fk" FOREIGN KEY ("org_id","appointment_id") REFERENCES "public"."appointments"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_org_id_actor_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","actor_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_levels_part" ON "stock_levels" USING btree ("org_id","part_id");--> statement-breakpoint
CREATE INDEX "stock_movements_location" ON "stock_movements" USING btree ("org_id","location_id","seq");--> statement-breakpoint
CREATE INDEX "stock_movements_line" ON "stock_movements" USING btree ("org_id","line_item_id");--> statement-breakpoint
CREATE INDEX "stock_movements_work_order" ON "stock_movements" USING btree ("org_id","work_order_id");--> statement-breakpoint
-- Added by hand
-- Deleting an organization cascades to every table at once; these references to its other rows
-- (catalog, people, work orders) are checked at commit, when the referring rows are gone too.
ALTER TABLE "stock_levels" ALTER CONSTRAINT "stock_levels_org_id_part_id_parts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_locations" ALTER CONSTRAINT "stock_locations_org_id_technician_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_movements" ALTER CONSTRAINT "stock_movements_org_id_location_id_stock_locations_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_movements" ALTER CONSTRAINT "stock_movements_org_id_part_id_parts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_movements" ALTER CONSTRAINT "stock_movements_org_id_work_order_id_work_orders_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_movements" ALTER CONSTRAINT "stock_movements_org_id_appointment_id_appointments_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "stock_movements" ALTER CONSTRAINT "stock_movements_org_id_actor_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
-- The ledger is append-only: a wrong movement is corrected by another movement. Its rows go only
-- with their organization (the cascade runs after the organization's row is gone).
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'stock movements are never changed or deleted; record a correcting movement'
    USING ERRCODE = 'restrict_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();
