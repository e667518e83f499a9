create extension if not exists pg_trgm;--> statement-breakpoint
CREATE TABLE "kb_article_translations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"body" text NOT NULL,
	"body_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body_text, '')), 'B')) STORED,
	CONSTRAINT "kb_translations_org_locale_slug" UNIQUE("org_id","locale","slug"),
	CONSTRAINT "kb_translations_article_locale" UNIQUE("org_id","article_id","locale")
);
--> statement-breakpoint
CREATE TABLE "kb_article_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid,
	"author_name" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kb_versions_article_locale_version" UNIQUE("org_id","article_id","locale","version")
);
--> statement-breakpoint
CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"section_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"helpful_yes" integer DEFAULT 0 NOT NULL,
	"helpful_no" integer DEFAULT 0 NOT NULL,
	"author_user_id" uuid,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kb_articles_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "kb_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kb_categories_org_slug" UNIQUE("org_id","slug"),
	CONSTRAINT "kb_categories_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "kb_deflections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"contact_id" uuid,
	"query" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"contact_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_sections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "kb_sections_org_slug" UNIQUE("org_id","slug"),
	CONSTRAINT "kb_sections_org_id" UNIQUE("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "kb_article_translations" ADD CONSTRAINT "kb_article_translations_org_id_article_id_kb_articles_org_id_id_fk" FOREIGN KEY ("org_id","article_id") REFERENCES "public"."kb_articles"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_article_versions" ADD CONSTRAINT "kb_article_versions_org_id_article_id_kb_articles_org_id_id_fk" FOREIGN KEY ("org_id","article_id") REFERENCES "public"."kb_articles"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_org_id_section_id_kb_sections_org_id_id_fk" FOREIGN KEY ("org_id","section_id") REFERENCES "public"."kb_sections"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_org_id_author_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","author_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_categories" ADD CONSTRAINT "kb_categories_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_deflections" ADD CONSTRAINT "kb_deflections_org_id_article_id_kb_articles_org_id_id_fk" FOREIGN KEY ("org_id","article_id") REFERENCES "public"."kb_articles"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_deflections" ADD CONSTRAINT "kb_deflections_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_org_id_article_id_kb_articles_org_id_id_fk" FOREIGN KEY ("org_id","article_id") REFERENCES "public"."kb_articles"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_feedback" ADD CONSTRAINT "kb_feedback_org_id_contact_id_contacts_org_id_id_fk" FOREIGN KEY ("org_id","contact_id") REFERENCES "public"."contacts"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_sections" ADD CONSTRAINT "kb_sections_org_id_category_id_kb_categories_org_id_id_fk" FOREIGN KEY ("org_id","category_id") REFERENCES "public"."kb_categories"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_translations_search" ON "kb_article_translations" USING gin ("search");--> statement-breakpoint
CREATE INDEX "kb_translations_title_trgm" ON "kb_article_translations" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "kb_articles_org_status" ON "kb_articles" USING btree ("org_id","status","visibility");--> statement-breakpoint
CREATE INDEX "kb_articles_org_section" ON "kb_articles" USING btree ("org_id","section_id");--> statement-breakpoint
CREATE INDEX "kb_deflections_org_created" ON "kb_deflections" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "kb_feedback_article" ON "kb_feedback" USING btree ("org_id","article_id","created_at");