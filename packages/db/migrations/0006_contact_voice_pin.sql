CREATE TABLE "contact_voice_pins" (
	"contact_id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"pin_hash" text NOT NULL,
	"set_by_kind" text NOT NULL,
	"set_by_id" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"last_failed_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	CONSTRAINT "contact_voice_pins_set_by_kind" CHECK ("contact_voice_pins"."set_by_kind" in ('staff','family')),
	CONSTRAINT "contact_voice_pins_failed_attempts" CHECK ("contact_voice_pins"."failed_attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "contact_voice_pins" ADD CONSTRAINT "contact_voice_pins_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_voice_pins" ADD CONSTRAINT "contact_voice_pins_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_voice_pins_home_idx" ON "contact_voice_pins" USING btree ("home_id");