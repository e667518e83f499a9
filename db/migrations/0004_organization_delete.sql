-- Deleting an organization removes everything it owns.
--
-- Deleting an organization cascades to its users, contacts, companies and teams and, along
-- separate paths, to the tickets and messages that point at them. Checked per statement, the
-- keys from tickets and messages to those people fire before the cascade from tickets has
-- removed the rows, and the delete is refused. Checked at commit, they see the finished
-- cascade. A person with history still cannot be deleted on their own: the check still runs.
ALTER TABLE "users" ALTER CONSTRAINT "users_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "ticket_messages" ALTER CONSTRAINT "ticket_messages_org_id_author_user_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "ticket_messages" ALTER CONSTRAINT "ticket_messages_org_id_author_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_contact_id_contacts_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_company_id_companies_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_assignee_id_users_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "tickets" ALTER CONSTRAINT "tickets_org_id_team_id_teams_org_id_id_fk" DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
-- Taking a ticket out of a count only ever updates an existing row: when the organization is being
-- deleted its count rows may already be gone, and re-creating one would point at a deleted
-- organization.
CREATE OR REPLACE FUNCTION ticket_counts_take(p_org uuid, p_status text, p_assignee uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE ticket_counts SET count = count - 1
  WHERE org_id = p_org AND status = p_status
    AND assignee_key = COALESCE(p_assignee, '00000000-0000-0000-0000-000000000000'::uuid);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM ticket_counts_apply(NEW.org_id, NEW.status, NEW.assignee_id, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM ticket_counts_take(OLD.org_id, OLD.status, OLD.assignee_id);
  ELSIF NEW.status IS DISTINCT FROM OLD.status OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
    PERFORM ticket_counts_take(OLD.org_id, OLD.status, OLD.assignee_id);
    PERFORM ticket_counts_apply(NEW.org_id, NEW.status, NEW.assignee_id, 1);
  END IF;
  RETURN NULL;
END $$;
