CREATE TABLE "agent_status" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agent_status_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "team_assignment" (
	"org_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"strategy" text DEFAULT 'manual' NOT NULL,
	"max_open_per_agent" integer,
	"last_assigned_user_id" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "team_assignment_org_id_team_id_pk" PRIMARY KEY("org_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "agent_status" ADD CONSTRAINT "agent_status_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_assignment" ADD CONSTRAINT "team_assignment_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE cascade ON UPDATE no action;