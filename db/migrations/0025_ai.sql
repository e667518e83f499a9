CREATE TABLE "ai_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"prediction_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"task" text NOT NULL,
	"verdict" text NOT NULL,
	"correct_value" text,
	"user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ai_feedback_once" UNIQUE("prediction_id")
);
--> statement-breakpoint
CREATE TABLE "ai_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" text NOT NULL,
	"model" text NOT NULL,
	"examples" integer NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"trained_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_predictions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" uuid,
	"task" text NOT NULL,
	"status" text DEFAULT 'done' NOT NULL,
	"provider" text,
	"model_version" text,
	"value" text,
	"confidence" real,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"applied" boolean DEFAULT false NOT NULL,
	"fallback_reason" text,
	"requested_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"auto_apply_threshold" real DEFAULT 0.85 NOT NULL,
	"auto_apply_fields" text[] DEFAULT '{category,priority,team}'::text[] NOT NULL,
	"similar_days" integer DEFAULT 30 NOT NULL,
	"models" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sentiment" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "breach_risk" real;--> statement-breakpoint
ALTER TABLE "ai_feedback" ADD CONSTRAINT "ai_feedback_prediction_id_ai_predictions_id_fk" FOREIGN KEY ("prediction_id") REFERENCES "public"."ai_predictions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_feedback" ADD CONSTRAINT "ai_feedback_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_models" ADD CONSTRAINT "ai_models_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_predictions" ADD CONSTRAINT "ai_predictions_org_id_ticket_id_tickets_org_id_id_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_settings" ADD CONSTRAINT "ai_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_feedback_org" ON "ai_feedback" USING btree ("org_id","task","created_at");--> statement-breakpoint
CREATE INDEX "ai_models_latest" ON "ai_models" USING btree ("org_id","kind","trained_at");--> statement-breakpoint
CREATE INDEX "ai_predictions_ticket" ON "ai_predictions" USING btree ("org_id","ticket_id","task","created_at");--> statement-breakpoint
CREATE INDEX "tickets_org_breach_risk" ON "tickets" USING btree ("org_id","breach_risk") WHERE breach_risk is not null;