ALTER TABLE "mailboxes" ADD COLUMN "imap_url" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_folder" text DEFAULT 'INBOX' NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_uid_validity" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_last_uid" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_error" text;