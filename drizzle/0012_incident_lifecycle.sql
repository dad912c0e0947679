CREATE TABLE "incident_followups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"text" text NOT NULL,
	"owner" text NOT NULL,
	"due_on" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "lead" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update_by" text;--> statement-breakpoint
ALTER TABLE "incident_followups" ADD CONSTRAINT "incident_followups_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_followups_owner_idx" ON "incident_followups" USING btree ("owner") WHERE "incident_followups"."done_at" is null;