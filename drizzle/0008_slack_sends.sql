CREATE TABLE "slack_sends" (
	"key" text PRIMARY KEY NOT NULL,
	"first_at" timestamp with time zone NOT NULL
);
