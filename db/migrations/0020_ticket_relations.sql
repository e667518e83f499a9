CREATE TABLE "message_mentions" (
	"org_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"handle" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_mentions_org_id_message_id_user_id_pk" PRIMARY KEY("org_id","message_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_agent_followers" (
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_agent_followers_org_id_ticket_id_user_id_pk" PRIMARY KEY("org_id","ticket_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_ticket_id" uuid NOT NULL,
	"to_ticket_id" uuid NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_links_org_pair" UNIQUE("org_id","kind","from_ticket_id","to_ticket_id"),
	CONSTRAINT "ticket_links_not_self" CHECK (from_ticket_id <> to_ticket_id)
);
--> statement-breakpoint
CREATE TABLE "ticket_time_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"minutes" integer,
	"note" text DEFAULT '' NOT NULL,
	"billable" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ticket_time_entries_org_id" UNIQUE("org_id","id"),
	CONSTRAINT "ticket_time_entries_finished" CHECK ((ended_at is null) = (minutes is null)),
	CONSTRAINT "ticket_time_entries_minutes" CHECK (minutes is null or minutes > 0)
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "message_mentions" ADD CONSTRAINT "message_mentions_org_id_message_id_ticket_messages_org_id_id_fk" FOREIGN KEY ("org_id","message_id") REFERENCES "public"."ticket_messages"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_mentions" ADD CONSTRAINT "message_mentions_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_agent_followers" ADD CONSTRAINT "ticket_agent_followers_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_agent_followers" ADD CONSTRAINT "ticket_agent_followers_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_org_id_from_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","from_ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_org_id_to_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","to_ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_org_id_created_by_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_time_entries" ADD CONSTRAINT "ticket_time_entries_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_time_entries" ADD CONSTRAINT "ticket_time_entries_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_mentions_user" ON "message_mentions" USING btree ("org_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_agent_followers_user" ON "ticket_agent_followers" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_links_one_parent" ON "ticket_links" USING btree ("org_id","to_ticket_id") WHERE kind = 'parent';--> statement-breakpoint
CREATE INDEX "ticket_links_to" ON "ticket_links" USING btree ("org_id","to_ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_time_entries_ticket" ON "ticket_time_entries" USING btree ("org_id","ticket_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_time_entries_one_running" ON "ticket_time_entries" USING btree ("org_id","user_id") WHERE ended_at is null;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_org_id_merged_into_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","merged_into_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE no action ON UPDATE no action;