-- One definition of numbering a ticket: take the organization's next number, write it on the ticket
-- and into its "ticket.created" event. The commit trigger (0046) and a creation inside a caller's
-- transaction (numberTicket) both call it, instead of each holding its own copy of the statements.
CREATE OR REPLACE FUNCTION number_ticket(p_org_id uuid, p_ticket_id uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  taken bigint;
BEGIN
  INSERT INTO counters (org_id, name, value) VALUES (p_org_id, 'ticket', 1)
  ON CONFLICT (org_id, name) DO UPDATE SET value = counters.value + 1
  RETURNING value INTO taken;
  UPDATE tickets SET number = taken WHERE org_id = p_org_id AND id = p_ticket_id;
  UPDATE events SET data = data || jsonb_build_object('number', taken)
  WHERE org_id = p_org_id AND ticket_id = p_ticket_id AND type = 'ticket.created';
  RETURN taken;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_number_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Numbered already in the transaction (by a caller that needed the number) or deleted since.
  PERFORM 1 FROM tickets WHERE org_id = NEW.org_id AND id = NEW.id AND number < 0;
  IF FOUND THEN
    PERFORM number_ticket(NEW.org_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
