CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"level" integer,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"threaded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"system" text DEFAULT 'other' NOT NULL,
	"declared_by" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"state" text DEFAULT 'open' NOT NULL,
	"level" integer NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"policy" jsonb NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	"response_due_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"resolution_note" text,
	"time_to_ack_ms" integer,
	"time_to_resolve_ms" integer,
	"response_sla_met" boolean,
	"resolution_sla_met" boolean,
	"channel" text NOT NULL,
	"message_ts" text,
	"incident_channel" text
);
--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_dedupe_uq" ON "incidents" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("declared_at") WHERE "incidents"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX "incidents_unposted_idx" ON "incidents" USING btree ("declared_at") WHERE "incidents"."message_ts" is null;