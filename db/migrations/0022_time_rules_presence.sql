CREATE TABLE "automation_rule_firings" (
	"org_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"episode" text NOT NULL,
	"matched" boolean NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "automation_rule_firings_rule_id_ticket_id_episode_pk" PRIMARY KEY("rule_id","ticket_id","episode")
);
--> statement-breakpoint
CREATE TABLE "ticket_viewers" (
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"typing_at" timestamp with time zone,
	CONSTRAINT "ticket_viewers_org_id_ticket_id_user_id_pk" PRIMARY KEY("org_id","ticket_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "automation_rules" ADD COLUMN "hours" integer;--> statement-breakpoint
ALTER TABLE "automation_rule_firings" ADD CONSTRAINT "automation_rule_firings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rule_firings" ADD CONSTRAINT "automation_rule_firings_rule_id_automation_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automation_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_rule_firings" ADD CONSTRAINT "automation_rule_firings_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_viewers" ADD CONSTRAINT "ticket_viewers_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_viewers" ADD CONSTRAINT "ticket_viewers_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "automation_rule_firings_ticket" ON "automation_rule_firings" USING btree ("org_id","ticket_id");