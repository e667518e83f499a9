-- A new ticket takes its number in its own INSERT, sent with the creation's last statements (or
-- before anything that shows the number), instead of being inserted with a placeholder and updated
-- at commit (0046): an update of the number rewrites every index of the row, three of them GIN.
-- The organization's counter row is then locked for one round trip and the commit.
DROP TRIGGER IF EXISTS tickets_number_at_commit ON tickets;
--> statement-breakpoint
DROP FUNCTION IF EXISTS ticket_number_at_commit();
--> statement-breakpoint
DROP FUNCTION IF EXISTS number_ticket(uuid, uuid);
--> statement-breakpoint
-- The organization's next value of a counter ("ticket" → 124), usable inside the INSERT that takes it.
-- The row lock the upsert takes is held until the transaction ends: numbers stay gapless.
CREATE FUNCTION next_counter_value(p_org_id uuid, p_name text) RETURNS bigint LANGUAGE sql VOLATILE AS $$
  INSERT INTO counters (org_id, name, value) VALUES (p_org_id, p_name, 1)
  ON CONFLICT (org_id, name) DO UPDATE SET value = counters.value + 1
  RETURNING value
$$;
