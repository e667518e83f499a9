CREATE TABLE "kb_article_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_article_files" ADD CONSTRAINT "kb_article_files_org_id_article_id_kb_articles_org_id_id_fk" FOREIGN KEY ("org_id","article_id") REFERENCES "public"."kb_articles"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_article_files_article" ON "kb_article_files" USING btree ("org_id","article_id","created_at");