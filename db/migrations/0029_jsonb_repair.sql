-- Added by hand
-- Values written through Bun's Postgres client before the schema's own jsonb type (db/schema/jsonb.ts)
-- were stored as JSON strings holding the object's text. Each becomes the object or array it spells.
-- PGlite never stored them so; there this finds no rows.
UPDATE "ai_models" SET "metrics" = ("metrics" #>> '{}')::jsonb WHERE jsonb_typeof("metrics") = 'string' AND ("metrics" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "ai_predictions" SET "detail" = ("detail" #>> '{}')::jsonb WHERE jsonb_typeof("detail") = 'string' AND ("detail" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "ai_settings" SET "models" = ("models" #>> '{}')::jsonb WHERE jsonb_typeof("models") = 'string' AND ("models" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "automation_rules" SET "conditions" = ("conditions" #>> '{}')::jsonb WHERE jsonb_typeof("conditions") = 'string' AND ("conditions" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "automation_rules" SET "actions" = ("actions" #>> '{}')::jsonb WHERE jsonb_typeof("actions") = 'string' AND ("actions" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "options" = ("options" #>> '{}')::jsonb WHERE jsonb_typeof("options") = 'string' AND ("options" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "problem" = ("problem" #>> '{}')::jsonb WHERE jsonb_typeof("problem") = 'string' AND ("problem" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "basis" = ("basis" #>> '{}')::jsonb WHERE jsonb_typeof("basis") = 'string' AND ("basis" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "progress" = ("progress" #>> '{}')::jsonb WHERE jsonb_typeof("progress") = 'string' AND ("progress" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "proposal" = ("proposal" #>> '{}')::jsonb WHERE jsonb_typeof("proposal") = 'string' AND ("proposal" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "before_metrics" = ("before_metrics" #>> '{}')::jsonb WHERE jsonb_typeof("before_metrics") = 'string' AND ("before_metrics" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "optimizer_runs" SET "after_metrics" = ("after_metrics" #>> '{}')::jsonb WHERE jsonb_typeof("after_metrics") = 'string' AND ("after_metrics" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "events" SET "data" = ("data" #>> '{}')::jsonb WHERE jsonb_typeof("data") = 'string' AND ("data" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "ticket_fields" SET "options" = ("options" #>> '{}')::jsonb WHERE jsonb_typeof("options") = 'string' AND ("options" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "timesheets" SET "totals" = ("totals" #>> '{}')::jsonb WHERE jsonb_typeof("totals") = 'string' AND ("totals" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "job_schedules" SET "payload" = ("payload" #>> '{}')::jsonb WHERE jsonb_typeof("payload") = 'string' AND ("payload" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "jobs" SET "payload" = ("payload" #>> '{}')::jsonb WHERE jsonb_typeof("payload") = 'string' AND ("payload" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "macros" SET "actions" = ("actions" #>> '{}')::jsonb WHERE jsonb_typeof("actions") = 'string' AND ("actions" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "notification_settings" SET "kind_modes" = ("kind_modes" #>> '{}')::jsonb WHERE jsonb_typeof("kind_modes") = 'string' AND ("kind_modes" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "outbox_messages" SET "attachments" = ("attachments" #>> '{}')::jsonb WHERE jsonb_typeof("attachments") = 'string' AND ("attachments" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "business_calendars" SET "weekly" = ("weekly" #>> '{}')::jsonb WHERE jsonb_typeof("weekly") = 'string' AND ("weekly" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "sla_policies" SET "conditions" = ("conditions" #>> '{}')::jsonb WHERE jsonb_typeof("conditions") = 'string' AND ("conditions" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "sla_policies" SET "targets" = ("targets" #>> '{}')::jsonb WHERE jsonb_typeof("targets") = 'string' AND ("targets" #>> '{}') ~ '^\s*[\[{]';
--> statement-breakpoint
UPDATE "tickets" SET "custom_fields" = ("custom_fields" #>> '{}')::jsonb WHERE jsonb_typeof("custom_fields") = 'string' AND ("custom_fields" #>> '{}') ~ '^\s*[\[{]';
