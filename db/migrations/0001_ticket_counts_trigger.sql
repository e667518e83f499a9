-- Keeps ticket_counts in step with tickets inside the writing transaction, whatever the write path
-- (domain functions, bulk edits, seeding), so view counts never need a scan over tickets.
CREATE OR REPLACE FUNCTION ticket_counts_apply(p_org uuid, p_status text, p_assignee uuid, p_delta int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_counts (org_id, status, assignee_key, count)
  VALUES (p_org, p_status, COALESCE(p_assignee, '00000000-0000-0000-0000-000000000000'::uuid), p_delta)
  ON CONFLICT (org_id, status, assignee_key) DO UPDATE SET count = ticket_counts.count + EXCLUDED.count;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ticket_counts_apply(NEW.org_id, NEW.status, NEW.assignee_id, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ticket_counts_apply(OLD.org_id, OLD.status, OLD.assignee_id, -1);
  ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
    PERFORM ticket_counts_apply(OLD.org_id, OLD.status, OLD.assignee_id, -1);
    PERFORM ticket_counts_apply(NEW.org_id, NEW.status, NEW.assignee_id, 1);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_counts_track AFTER INSERT OR DELETE OR UPDATE OF status, assignee_id ON tickets
FOR EACH ROW EXECUTE FUNCTION ticket_counts_track();
