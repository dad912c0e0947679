CREATE TABLE "inbound_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 1 NOT NULL,
	"last_error" text,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_requests_key_idx" ON "inbound_requests" USING btree ("key");--> statement-breakpoint
CREATE INDEX "inbound_requests_pending_idx" ON "inbound_requests" USING btree ("lease_until") WHERE "inbound_requests"."done_at" is null;