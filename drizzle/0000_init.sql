CREATE TABLE "checklist_items" (
	"run_id" integer NOT NULL,
	"item_id" text NOT NULL,
	"position" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"signed_by" text,
	"signed_at" timestamp with time zone,
	"note" text,
	"probe_status" text,
	"probe_summary" text,
	"probe_evidence" jsonb,
	CONSTRAINT "checklist_items_run_id_item_id_pk" PRIMARY KEY("run_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "checklist_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"checklist_id" text NOT NULL,
	"period_key" text NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"scheduled_for" timestamp with time zone,
	"definition" jsonb NOT NULL,
	"channel" text NOT NULL,
	"message_ts" text,
	"section_messages" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"requested_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"item_id" text NOT NULL,
	"status" text NOT NULL,
	"previous_status" text NOT NULL,
	"user_id" text NOT NULL,
	"note" text,
	"request_key" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer,
	"checklist_id" text NOT NULL,
	"item_id" text NOT NULL,
	"figure_id" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"unit" text NOT NULL,
	"value" numeric,
	"text_value" text,
	"entered_by" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "probe_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer,
	"probe" text NOT NULL,
	"status" text NOT NULL,
	"summary" text NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ref_id" text NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_run_id_checklist_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."checklist_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_events" ADD CONSTRAINT "item_events_run_id_checklist_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."checklist_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_run_id_checklist_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."checklist_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "probe_results" ADD CONSTRAINT "probe_results_run_id_checklist_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."checklist_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_runs_period_uq" ON "checklist_runs" USING btree ("checklist_id","period_key");--> statement-breakpoint
CREATE INDEX "checklist_runs_created_idx" ON "checklist_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "checklist_runs_unposted_idx" ON "checklist_runs" USING btree ("created_at") WHERE "checklist_runs"."message_ts" is null and "checklist_runs"."state" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "item_events_request_uq" ON "item_events" USING btree ("request_key");--> statement-breakpoint
CREATE INDEX "item_events_run_idx" ON "item_events" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "metrics_run_figure_uq" ON "metrics" USING btree ("run_id","item_id","figure_id");--> statement-breakpoint
CREATE INDEX "metrics_figure_period_idx" ON "metrics" USING btree ("figure_id","period_start");--> statement-breakpoint
CREATE INDEX "probe_results_checked_idx" ON "probe_results" USING btree ("checked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "timers_step_uq" ON "timers" USING btree ("kind","ref_id","step");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "timers" USING btree ("due_at") WHERE "timers"."fired_at" is null and "timers"."cancelled_at" is null;