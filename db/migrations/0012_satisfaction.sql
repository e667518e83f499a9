CREATE TABLE "satisfaction_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"agent_user_id" uuid,
	"team_id" uuid,
	"score" integer,
	"comment" text,
	"requested_at" timestamp with time zone NOT NULL,
	"rated_at" timestamp with time zone,
	CONSTRAINT "satisfaction_ratings_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "satisfaction_ticket" UNIQUE("org_id","ticket_id")
);
--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "satisfaction_agent" ON "satisfaction_ratings" USING btree ("org_id","agent_user_id","rated_at");