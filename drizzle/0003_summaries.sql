CREATE TABLE "summaries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_key" text NOT NULL,
	"week_key" text NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"facts" jsonb,
	"prose" jsonb,
	"source" text,
	"reason" text,
	"model" text,
	"tokens_in" integer,
	"tokens_out" integer,
	"channel" text,
	"message_ts" text,
	"requested_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "summaries_claim_uq" ON "summaries" USING btree ("claim_key");--> statement-breakpoint
CREATE INDEX "summaries_week_idx" ON "summaries" USING btree ("week_key");