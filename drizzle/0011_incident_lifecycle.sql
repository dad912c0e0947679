ALTER TABLE "incidents" ADD COLUMN "lead" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "last_update_by" text;