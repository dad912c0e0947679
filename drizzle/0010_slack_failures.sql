CREATE TABLE "slack_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"ref_id" text NOT NULL,
	"channel" text NOT NULL,
	"error" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_failures_owner_uq" ON "slack_failures" USING btree ("owner","ref_id");--> statement-breakpoint
CREATE INDEX "slack_failures_at_idx" ON "slack_failures" USING btree ("at");