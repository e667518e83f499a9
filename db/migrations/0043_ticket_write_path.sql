CREATE TABLE "ticket_count_deltas" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_count_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"assignee_key" uuid NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "config_stamp" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_count_deltas" ADD CONSTRAINT "ticket_count_deltas_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_count_deltas_org" ON "ticket_count_deltas" USING btree ("org_id");--> statement-breakpoint
-- Added by hand (drizzle cannot express functions and triggers): ticket writes append count deltas
-- instead of updating the organization's count row, which stayed locked until the writing
-- transaction committed and queued every ticket write of the organization behind the others.
CREATE OR REPLACE FUNCTION ticket_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_count_deltas (org_id, status, assignee_key, delta)
    VALUES (NEW.org_id, NEW.status, COALESCE(NEW.assignee_id, '00000000-0000-0000-0000-000000000000'::uuid), 1);
  ELSIF TG_OP = 'DELETE' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
    -- While the organization itself is being deleted, its counts go with it: a delta would point at
    -- a deleted organization (as 0004).
    IF NOT EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id) THEN
      RETURN NULL;
    END IF;
    INSERT INTO ticket_count_deltas (org_id, status, assignee_key, delta)
    VALUES (OLD.org_id, OLD.status, COALESCE(OLD.assignee_id, '00000000-0000-0000-0000-000000000000'::uuid), -1);
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO ticket_count_deltas (org_id, status, assignee_key, delta)
      VALUES (NEW.org_id, NEW.status, COALESCE(NEW.assignee_id, '00000000-0000-0000-0000-000000000000'::uuid), 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Moves an organization's deltas into ticket_counts in one statement: a reader summing both tables
-- in one statement sees either side of it. Two folds at once: the second waits on the rows the
-- first deletes and then skips them. Returns how many deltas it moved.
CREATE OR REPLACE FUNCTION ticket_counts_fold(p_org uuid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  moved_count integer;
BEGIN
  -- One fold per organization at a time (two could lock each other's deltas); a fold already
  -- running moves these deltas too.
  IF NOT pg_try_advisory_xact_lock(hashtext('ticket_counts_fold'), hashtext(p_org::text)) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM ticket_count_deltas WHERE org_id = p_org
    RETURNING status, assignee_key, delta
  ), summed AS (
    SELECT status, assignee_key, sum(delta) AS delta, count(*) AS n FROM moved GROUP BY status, assignee_key
  ), folded AS (
    INSERT INTO ticket_counts (org_id, status, assignee_key, count)
    SELECT p_org, status, assignee_key, delta FROM summed
    ON CONFLICT (org_id, status, assignee_key) DO UPDATE SET count = ticket_counts.count + EXCLUDED.count
    RETURNING 1
  )
  SELECT coalesce(sum(n), 0)::integer INTO moved_count FROM summed;
  RETURN moved_count;
END $$;
--> statement-breakpoint
-- The definitions ticket writes read (and app servers cache under organizations.config_stamp):
-- any change to them, whatever the write path, gives the organization a new stamp. While the
-- organization itself is being deleted its row is already gone and nothing is updated.
CREATE OR REPLACE FUNCTION org_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organizations SET config_stamp = gen_random_uuid()
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END;
  IF TG_OP = 'UPDATE' AND NEW.org_id IS DISTINCT FROM OLD.org_id THEN
    UPDATE organizations SET config_stamp = gen_random_uuid() WHERE id = OLD.org_id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sla_policies_config AFTER INSERT OR UPDATE OR DELETE ON sla_policies
FOR EACH ROW EXECUTE FUNCTION org_config_changed();
--> statement-breakpoint
CREATE TRIGGER business_calendars_config AFTER INSERT OR UPDATE OR DELETE ON business_calendars
FOR EACH ROW EXECUTE FUNCTION org_config_changed();
--> statement-breakpoint
CREATE TRIGGER calendar_holidays_config AFTER INSERT OR UPDATE OR DELETE ON calendar_holidays
FOR EACH ROW EXECUTE FUNCTION org_config_changed();
--> statement-breakpoint
CREATE TRIGGER automation_rules_config AFTER INSERT OR UPDATE OR DELETE ON automation_rules
FOR EACH ROW EXECUTE FUNCTION org_config_changed();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION organizations_config_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.config_stamp := gen_random_uuid();
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER organizations_config_stamp BEFORE UPDATE OF time_zone ON organizations
FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
EXECUTE FUNCTION organizations_config_stamp();
