CREATE TABLE "improvements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"title" text NOT NULL,
	"reach" numeric NOT NULL,
	"impact" numeric NOT NULL,
	"confidence" numeric NOT NULL,
	"effort" numeric NOT NULL,
	"score" numeric NOT NULL,
	"state" text DEFAULT 'proposed' NOT NULL,
	"owner" text,
	"deadline" timestamp with time zone,
	"success_criteria" text,
	"result" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "improvements_dedupe_uq" ON "improvements" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "improvements_state_idx" ON "improvements" USING btree ("state");