CREATE TABLE "ticket_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"agents_only" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_categories_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "ticket_fields" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"agents_only" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"position" integer NOT NULL,
	"hint" text,
	"min_value" double precision,
	"max_value" double precision,
	"visible_when_key" text,
	"visible_when_value" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_fields_org_key" UNIQUE("org_id","key"),
	CONSTRAINT "ticket_fields_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "category_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "subcategory_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_categories" ADD CONSTRAINT "ticket_categories_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_categories" ADD CONSTRAINT "ticket_categories_org_id_parent_id_ticket_categories_org_id_id_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."ticket_categories"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_fields" ADD CONSTRAINT "ticket_fields_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_fields" ADD CONSTRAINT "ticket_fields_org_id_category_id_ticket_categories_org_id_id_fk" FOREIGN KEY ("org_id","category_id") REFERENCES "public"."ticket_categories"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_categories_org_parent_name" ON "ticket_categories" USING btree ("org_id",coalesce("parent_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("name"));--> statement-breakpoint
CREATE INDEX "ticket_categories_org_position" ON "ticket_categories" USING btree ("org_id","parent_id","position");--> statement-breakpoint
CREATE INDEX "ticket_fields_org_category" ON "ticket_fields" USING btree ("org_id","category_id","position");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_org_id_category_id_ticket_categories_org_id_id_fk" FOREIGN KEY ("org_id","category_id") REFERENCES "public"."ticket_categories"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_org_id_subcategory_id_ticket_categories_org_id_id_fk" FOREIGN KEY ("org_id","subcategory_id") REFERENCES "public"."ticket_categories"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_org_category" ON "tickets" USING btree ("org_id","category_id","updated_at") WHERE category_id is not null;--> statement-breakpoint
CREATE INDEX "tickets_org_subcategory" ON "tickets" USING btree ("org_id","subcategory_id","updated_at") WHERE subcategory_id is not null;--> statement-breakpoint
CREATE INDEX "tickets_custom_fields" ON "tickets" USING gin ("custom_fields");--> statement-breakpoint
-- Added by hand (drizzle cannot express deferrable keys): as in 0004, deleting an organization
-- cascades to its categories and, along another path, to the tickets that point at them; checked at
-- commit, the keys see the finished cascade. A category in use still cannot be deleted on its own.
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_category_id_ticket_categories_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_subcategory_id_ticket_categories_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
