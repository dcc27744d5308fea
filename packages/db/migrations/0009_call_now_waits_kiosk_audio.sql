ALTER TABLE "homes" ADD COLUMN "parent_join_wait_minutes" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "kiosk_wait_minutes" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "kiosks" ADD COLUMN "audio_state" text;--> statement-breakpoint
ALTER TABLE "kiosks" ADD COLUMN "audio_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "homes" ADD CONSTRAINT "homes_parent_join_wait_range" CHECK ("homes"."parent_join_wait_minutes" between 1 and 30);--> statement-breakpoint
ALTER TABLE "homes" ADD CONSTRAINT "homes_kiosk_wait_range" CHECK ("homes"."kiosk_wait_minutes" between 1 and 30);--> statement-breakpoint
ALTER TABLE "kiosks" ADD CONSTRAINT "kiosks_audio_state" CHECK ("kiosks"."audio_state" in ('ok', 'no-output', 'locked'));