ALTER TABLE "tickets" ADD COLUMN "first_replied_at" timestamp with time zone;--> statement-breakpoint
-- Added by hand: staff's first public reply, kept on the ticket by a trigger. A reply written by a
-- user (not a customer's message, which has no user) after the ticket was opened (so not the opening
-- message of a ticket an agent logged) sets it when it is earlier than the one known, also when a
-- merge moves replies to another ticket; deleting the reply later does not undo it.
CREATE FUNCTION ticket_first_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET first_replied_at = NEW.created_at
  WHERE org_id = NEW.org_id AND id = NEW.ticket_id
    AND NEW.created_at > created_at
    AND (first_replied_at IS NULL OR first_replied_at > NEW.created_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_first_reply AFTER INSERT OR UPDATE OF ticket_id ON ticket_messages
FOR EACH ROW WHEN (NEW.kind = 'reply' AND NEW.author_user_id IS NOT NULL)
EXECUTE FUNCTION ticket_first_reply();
--> statement-breakpoint
UPDATE tickets t SET first_replied_at = f.first_at
FROM (
  SELECT m.org_id, m.ticket_id, min(m.created_at) AS first_at
  FROM ticket_messages m JOIN tickets o ON o.org_id = m.org_id AND o.id = m.ticket_id
  WHERE m.kind = 'reply' AND m.author_user_id IS NOT NULL AND m.created_at > o.created_at
  GROUP BY m.org_id, m.ticket_id
) f
WHERE t.org_id = f.org_id AND t.id = f.ticket_id;
