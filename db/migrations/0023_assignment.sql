CREATE TABLE "agent_load" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"open" integer NOT NULL,
	"weighted" integer NOT NULL,
	CONSTRAINT "agent_load_org_id_user_id_pk" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
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
ALTER TABLE "agent_load" ADD CONSTRAINT "agent_load_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_status" ADD CONSTRAINT "agent_status_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_assignment" ADD CONSTRAINT "team_assignment_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Added by hand (drizzle cannot express triggers): agent_load follows every write to tickets, as
-- ticket_counts does (0001), whatever the write path.
CREATE OR REPLACE FUNCTION agent_load_weight(p_priority text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION agent_load_apply(p_org uuid, p_user uuid, p_status text, p_priority text, p_sign int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_user IS NULL OR p_status NOT IN ('new', 'open', 'pending', 'on_hold') THEN RETURN; END IF;
  -- Taking a ticket out only updates an existing row: while the organization is being deleted its
  -- rows may already be gone, and re-creating one would point at a deleted organization (as 0004).
  IF p_sign < 0 THEN
    UPDATE agent_load SET open = open - 1, weighted = weighted - agent_load_weight(p_priority)
    WHERE org_id = p_org AND user_id = p_user;
    RETURN;
  END IF;
  INSERT INTO agent_load (org_id, user_id, open, weighted)
  VALUES (p_org, p_user, p_sign, p_sign * agent_load_weight(p_priority))
  ON CONFLICT (org_id, user_id) DO UPDATE
    SET open = agent_load.open + EXCLUDED.open, weighted = agent_load.weighted + EXCLUDED.weighted;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION agent_load_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM agent_load_apply(OLD.org_id, OLD.assignee_id, OLD.status, OLD.priority, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM agent_load_apply(NEW.org_id, NEW.assignee_id, NEW.status, NEW.priority, 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_agent_load AFTER INSERT OR DELETE OR UPDATE OF status, assignee_id, priority ON tickets
FOR EACH ROW EXECUTE FUNCTION agent_load_track();
--> statement-breakpoint
INSERT INTO agent_load (org_id, user_id, open, weighted)
SELECT org_id, assignee_id, count(*), sum(agent_load_weight(priority))
FROM tickets
WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending', 'on_hold')
GROUP BY org_id, assignee_id;
