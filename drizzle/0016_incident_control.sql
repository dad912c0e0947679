ALTER TABLE "incidents" ADD COLUMN "control_ts" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "source_link" text;--> statement-breakpoint
CREATE INDEX "incident_events_unthreaded_idx" ON "incident_events" USING btree ("at") WHERE not "incident_events"."threaded";