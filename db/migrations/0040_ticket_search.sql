CREATE TABLE "ticket_search" (
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"status" text NOT NULL,
	"priority" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"document" "tsvector" NOT NULL,
	CONSTRAINT "ticket_search_org_id_ticket_id_pk" PRIMARY KEY("org_id","ticket_id")
);
--> statement-breakpoint
DROP INDEX "ticket_messages_search";--> statement-breakpoint
ALTER TABLE "kb_article_translations" ALTER COLUMN "search" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "ticket_messages" ALTER COLUMN "search" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "search" DROP EXPRESSION;--> statement-breakpoint
ALTER TABLE "kb_article_translations" ADD COLUMN "title_search" "tsvector";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "search_config" text DEFAULT 'english' NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_search" ADD CONSTRAINT "ticket_search_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_translations_title_search" ON "kb_article_translations" USING gin ("title_search");--> statement-breakpoint
CREATE INDEX "kb_translations_org_updated" ON "kb_article_translations" USING btree ("org_id","updated_at" DESC NULLS LAST,"title");--> statement-breakpoint

-- Added by hand (drizzle cannot express functions and triggers). Search vectors follow the
-- organization's text-search configuration (organizations.search_config), so they are set by
-- triggers instead of generated columns, and ticket_search holds one document per ticket.
--
-- The organization's configuration; english when it is not known.
CREATE FUNCTION org_search_config(p_org uuid) RETURNS regconfig LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT search_config::regconfig FROM organizations WHERE id = p_org), 'english'::regconfig)
$$;
--> statement-breakpoint
-- `a || b`, except that a document past the size a tsvector may have (1 MB of distinct words, e.g.
-- thousands of machine-written messages full of ids) keeps what it had rather than failing the
-- write that adds a message.
CREATE FUNCTION tsvector_append(p_doc tsvector, p_more tsvector) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN p_doc || p_more;
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN p_doc;
END $$;
--> statement-breakpoint
CREATE AGGREGATE tsvector_agg(tsvector) (SFUNC = tsvector_append, STYPE = tsvector, INITCOND = '');
--> statement-breakpoint
-- A ticket's whole document: subject (A), then its messages and notes in order (B).
CREATE FUNCTION ticket_search_document(p_org uuid, p_ticket uuid) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT tsvector_append(
    setweight(coalesce(t.search, ''), 'A'),
    coalesce((SELECT tsvector_agg(setweight(m.search, 'B') ORDER BY m.created_at, m.id)
              FROM ticket_messages m WHERE m.org_id = p_org AND m.ticket_id = p_ticket), ''))
  FROM tickets t WHERE t.org_id = p_org AND t.id = p_ticket
$$;
--> statement-breakpoint
UPDATE "kb_article_translations" SET "title_search" = to_tsvector('english', coalesce("title", ''));
--> statement-breakpoint
-- Room in each page for the new versions of rows whose status, priority or updated_at changed
-- (HOT updates: no index is touched).
ALTER TABLE "ticket_search" SET (fillfactor = 80);
--> statement-breakpoint
INSERT INTO "ticket_search" ("org_id", "ticket_id", "status", "priority", "updated_at", "document")
SELECT t.org_id, t.id, t.status, t.priority, t.updated_at,
       tsvector_append(setweight(coalesce(t.search, ''), 'A'), coalesce(m.document, ''))
FROM "tickets" t
LEFT JOIN (
  SELECT org_id, ticket_id, tsvector_agg(setweight(search, 'B') ORDER BY created_at, id) AS document
  FROM "ticket_messages" GROUP BY org_id, ticket_id
) m ON m.org_id = t.org_id AND m.ticket_id = t.id;
--> statement-breakpoint
CREATE INDEX "ticket_search_document" ON "ticket_search" USING gin ("document");
--> statement-breakpoint
ANALYZE "ticket_search";
--> statement-breakpoint
-- A ticket's subject vector, in its organization's configuration.
CREATE FUNCTION tickets_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.search IS NULL
     OR NEW.search IS NOT DISTINCT FROM OLD.search THEN
    NEW.search := to_tsvector(org_search_config(NEW.org_id), NEW.subject);
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_search_vector BEFORE INSERT OR UPDATE OF subject ON tickets
FOR EACH ROW EXECUTE FUNCTION tickets_search_vector();
--> statement-breakpoint
-- New tickets get their search row, with the messages already written (a new ticket's first
-- message goes in before the ticket: its foreign key is checked at commit).
CREATE FUNCTION tickets_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search (org_id, ticket_id, status, priority, updated_at, document)
  SELECT n.org_id, n.id, n.status, n.priority, n.updated_at,
         tsvector_append(setweight(coalesce(n.search, ''), 'A'), coalesce(
           (SELECT tsvector_agg(setweight(m.search, 'B') ORDER BY m.created_at, m.id)
            FROM ticket_messages m WHERE m.org_id = n.org_id AND m.ticket_id = n.id), ''))
  FROM new_tickets n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_tickets
FOR EACH STATEMENT EXECUTE FUNCTION tickets_search_insert();
--> statement-breakpoint
-- A changed status, priority or updated_at is copied; a changed subject rebuilds the document.
CREATE FUNCTION tickets_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.search IS DISTINCT FROM OLD.search THEN
    UPDATE ticket_search SET status = NEW.status, priority = NEW.priority, updated_at = NEW.updated_at,
           document = coalesce(ticket_search_document(NEW.org_id, NEW.id), document)
    WHERE org_id = NEW.org_id AND ticket_id = NEW.id;
  ELSE
    UPDATE ticket_search SET status = NEW.status, priority = NEW.priority, updated_at = NEW.updated_at
    WHERE org_id = NEW.org_id AND ticket_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, search, status, priority, updated_at ON tickets
FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search OR OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.updated_at IS DISTINCT FROM NEW.updated_at)
EXECUTE FUNCTION tickets_search_update();
--> statement-breakpoint
-- A message's vector, in its organization's configuration.
CREATE FUNCTION ticket_messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.body IS DISTINCT FROM OLD.body OR NEW.search IS NULL
     OR NEW.search IS NOT DISTINCT FROM OLD.search THEN
    NEW.search := to_tsvector(org_search_config(NEW.org_id), NEW.body);
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_search_vector BEFORE INSERT OR UPDATE OF body ON ticket_messages
FOR EACH ROW EXECUTE FUNCTION ticket_messages_search_vector();
--> statement-breakpoint
-- New messages are appended to their tickets' documents, once per ticket and statement (a ticket
-- not inserted yet gets them when it is). One update by key per ticket: a join of the new rows
-- with ticket_search may be planned as a scan of it for every ticket where statistics are missing
-- (the embedded database has no autovacuum).
CREATE FUNCTION ticket_messages_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added record;
BEGIN
  FOR added IN
    SELECT org_id, ticket_id, tsvector_agg(setweight(search, 'B') ORDER BY created_at, id) AS vector
    FROM new_messages GROUP BY org_id, ticket_id
  LOOP
    UPDATE ticket_search SET document = tsvector_append(document, added.vector)
    WHERE org_id = added.org_id AND ticket_id = added.ticket_id;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_search_insert AFTER INSERT ON ticket_messages
REFERENCING NEW TABLE AS new_messages
FOR EACH STATEMENT EXECUTE FUNCTION ticket_messages_search_insert();
--> statement-breakpoint
-- Rebuilds the documents of the tickets named, those that still exist.
CREATE FUNCTION ticket_search_rebuild(p_org uuid, p_ticket uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_search SET document = coalesce(ticket_search_document(p_org, p_ticket), document)
  WHERE org_id = p_org AND ticket_id = p_ticket;
END $$;
--> statement-breakpoint
-- Messages moved to another ticket (merge, split), edited or re-indexed: the tickets they left and
-- joined get their documents rebuilt.
CREATE FUNCTION ticket_messages_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT o.org_id, o.ticket_id FROM old_messages o JOIN new_messages n ON n.id = o.id
    WHERE n.ticket_id IS DISTINCT FROM o.ticket_id OR n.search IS DISTINCT FROM o.search
    UNION
    SELECT n.org_id, n.ticket_id FROM old_messages o JOIN new_messages n ON n.id = o.id
    WHERE n.ticket_id IS DISTINCT FROM o.ticket_id OR n.search IS DISTINCT FROM o.search
  LOOP
    PERFORM ticket_search_rebuild(changed.org_id, changed.ticket_id);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_search_update AFTER UPDATE ON ticket_messages
REFERENCING OLD TABLE AS old_messages NEW TABLE AS new_messages
FOR EACH STATEMENT EXECUTE FUNCTION ticket_messages_search_update();
--> statement-breakpoint
-- Deleted messages leave their tickets' documents (a ticket being deleted has no row left to rebuild).
CREATE FUNCTION ticket_messages_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone record;
BEGIN
  FOR gone IN SELECT DISTINCT org_id, ticket_id FROM old_messages LOOP
    PERFORM ticket_search_rebuild(gone.org_id, gone.ticket_id);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_messages_search_delete AFTER DELETE ON ticket_messages
REFERENCING OLD TABLE AS old_messages
FOR EACH STATEMENT EXECUTE FUNCTION ticket_messages_search_delete();
--> statement-breakpoint
-- An article translation's vectors: the title alone, and title (A) with body (B).
CREATE FUNCTION kb_translations_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig := org_search_config(NEW.org_id);
BEGIN
  NEW.title_search := to_tsvector(cfg, coalesce(NEW.title, ''));
  NEW.search := setweight(NEW.title_search, 'A') || setweight(to_tsvector(cfg, coalesce(NEW.body_text, '')), 'B');
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER kb_translations_search_vector BEFORE INSERT OR UPDATE OF title, body_text ON kb_article_translations
FOR EACH ROW EXECUTE FUNCTION kb_translations_search_vector();
