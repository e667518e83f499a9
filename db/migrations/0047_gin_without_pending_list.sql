-- The two search indexes written with every ticket and message take their entries at once instead
-- of through GIN's pending list. With the list, each write was cheap until one of them, the one
-- that filled 4 MB of it, merged the whole list (a creation now and then took hundreds of ms), and
-- every search read the unmerged list from start to end; where autovacuum is off, or slow to come,
-- that list only grew (97,000 entries after seeding 100,000 tickets). Same index, so the schema's
-- DROP and CREATE are written as the equivalent ALTER, and what is pending is merged now.
ALTER INDEX "ticket_search_document" SET (fastupdate = false);--> statement-breakpoint
ALTER INDEX "tickets_search" SET (fastupdate = false);--> statement-breakpoint
SELECT gin_clean_pending_list('ticket_search_document'::regclass);--> statement-breakpoint
SELECT gin_clean_pending_list('tickets_search'::regclass);
