CREATE TABLE "agent_skills" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"level" integer NOT NULL,
	CONSTRAINT "agent_skills_org_id_user_id_skill_id_pk" PRIMARY KEY("org_id","user_id","skill_id"),
	CONSTRAINT "agent_skills_level" CHECK ("agent_skills"."level" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "category_skills" (
	"org_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"min_level" integer NOT NULL,
	CONSTRAINT "category_skills_org_id_category_id_skill_id_pk" PRIMARY KEY("org_id","category_id","skill_id"),
	CONSTRAINT "category_skills_level" CHECK ("category_skills"."min_level" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "agent_status" ADD COLUMN "working_hours" jsonb;--> statement-breakpoint
ALTER TABLE "agent_status" ADD COLUMN "zone_id" uuid;--> statement-breakpoint
ALTER TABLE "team_assignment" ADD COLUMN "weights" jsonb;--> statement-breakpoint
ALTER TABLE "agent_skills" ADD CONSTRAINT "agent_skills_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_skills" ADD CONSTRAINT "agent_skills_org_id_skill_id_skills_org_id_id_fk" FOREIGN KEY ("org_id","skill_id") REFERENCES "public"."skills"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "category_skills" ADD CONSTRAINT "category_skills_org_id_category_id_ticket_categories_org_id_id_fk" FOREIGN KEY ("org_id","category_id") REFERENCES "public"."ticket_categories"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "category_skills" ADD CONSTRAINT "category_skills_org_id_skill_id_skills_org_id_id_fk" FOREIGN KEY ("org_id","skill_id") REFERENCES "public"."skills"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_status" ADD CONSTRAINT "agent_status_org_id_zone_id_zones_org_id_id_fk" FOREIGN KEY ("org_id","zone_id") REFERENCES "public"."zones"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Added by hand
-- Deleting an organization removes its zones and its agents' rows together: checked at commit.
ALTER TABLE "agent_status" ALTER CONSTRAINT "agent_status_org_id_zone_id_zones_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
