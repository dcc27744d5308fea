ALTER TABLE "sms_messages" ADD COLUMN "template_params" jsonb;--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "sms_sign_name" text;--> statement-breakpoint
CREATE TABLE "sms_reports" (
	"provider" text NOT NULL,
	"biz_id" text NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"message_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_reports_provider_biz_id_status_pk" PRIMARY KEY("provider","biz_id","status")
);
--> statement-breakpoint
ALTER TABLE "sms_reports" ADD CONSTRAINT "sms_reports_message_id_sms_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."sms_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_reports_message_idx" ON "sms_reports" USING btree ("message_id");
