CREATE TABLE "incident_reviews" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"reason" text,
	"model" text,
	"facts" jsonb NOT NULL,
	"narrative" text,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_followups" ADD COLUMN "done_by" text;--> statement-breakpoint
ALTER TABLE "incident_reviews" ADD CONSTRAINT "incident_reviews_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;