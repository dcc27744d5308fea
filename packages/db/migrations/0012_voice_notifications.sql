CREATE TABLE "voice_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"booking_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"purpose" text NOT NULL,
	"to_phone" text NOT NULL,
	"provider" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"provider_call_id" text,
	"dtmf" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"placed_at" timestamp with time zone,
	"result_at" timestamp with time zone,
	CONSTRAINT "voice_notifications_status" CHECK ("voice_notifications"."status" in ('pending','placing','placed','answered','not-answered','busy','failed'))
);
--> statement-breakpoint
ALTER TABLE "voice_notifications" ADD CONSTRAINT "voice_notifications_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_notifications" ADD CONSTRAINT "voice_notifications_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_notifications" ADD CONSTRAINT "voice_notifications_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "voice_notifications_once" ON "voice_notifications" USING btree ("booking_id","contact_id","purpose");--> statement-breakpoint
CREATE INDEX "voice_notifications_phone_idx" ON "voice_notifications" USING btree ("to_phone","placed_at");--> statement-breakpoint
CREATE INDEX "voice_notifications_call_idx" ON "voice_notifications" USING btree ("provider_call_id");
