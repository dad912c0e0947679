CREATE TABLE "dr_tests" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"checklist_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"backup_used" text NOT NULL,
	"data_loss_minutes" numeric NOT NULL,
	"evidence" text NOT NULL,
	"operator" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"verifier" text,
	"verified_at" timestamp with time zone,
	"rto_minutes" integer,
	"rpo_minutes" integer
);
--> statement-breakpoint
ALTER TABLE "dr_tests" ADD CONSTRAINT "dr_tests_run_id_checklist_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."checklist_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dr_tests_ended_idx" ON "dr_tests" USING btree ("ended_at");