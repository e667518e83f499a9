-- A ticket created in a transaction of its own takes its number at commit: a deferred trigger
-- takes the organization's counter, numbers the ticket and its "ticket.created" event. The counter
-- row is then locked only while the commit itself runs, not across a round trip to the app server
-- as well (which, under load, had creations queueing behind each other for the lock).
-- A creation that needs its number before commit (a caller inside a larger transaction, a rule or
-- a notification that shows it) numbers the ticket itself; the trigger then finds it numbered.
CREATE OR REPLACE FUNCTION ticket_number_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  taken bigint;
BEGIN
  PERFORM 1 FROM tickets WHERE org_id = NEW.org_id AND id = NEW.id AND number < 0;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO counters (org_id, name, value) VALUES (NEW.org_id, 'ticket', 1)
  ON CONFLICT (org_id, name) DO UPDATE SET value = counters.value + 1
  RETURNING value INTO taken;
  UPDATE tickets SET number = taken WHERE org_id = NEW.org_id AND id = NEW.id;
  UPDATE events SET data = data || jsonb_build_object('number', taken)
  WHERE org_id = NEW.org_id AND ticket_id = NEW.id AND type = 'ticket.created';
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER tickets_number_at_commit AFTER INSERT ON tickets
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.number < 0)
  EXECUTE FUNCTION ticket_number_at_commit();
