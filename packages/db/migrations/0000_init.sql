CREATE TABLE "homes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"slot_minutes" integer DEFAULT 15 NOT NULL,
	"buffer_minutes" integer DEFAULT 5 NOT NULL,
	"weekly_quota_per_child" integer DEFAULT 1 NOT NULL,
	"booking_horizon_days" integer DEFAULT 14 NOT NULL,
	"min_notice_minutes" integer DEFAULT 60 NOT NULL,
	"no_contact_alert_days" integer DEFAULT 14 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "homes_slot_minutes_range" CHECK ("homes"."slot_minutes" between 1 and 120),
	CONSTRAINT "homes_buffer_minutes_range" CHECK ("homes"."buffer_minutes" between 0 and 60),
	CONSTRAINT "homes_quota_range" CHECK ("homes"."weekly_quota_per_child" between 0 and 14),
	CONSTRAINT "homes_horizon_range" CHECK ("homes"."booking_horizon_days" between 1 and 90),
	CONSTRAINT "homes_notice_range" CHECK ("homes"."min_notice_minutes" between 0 and 10080),
	CONSTRAINT "homes_alert_days_range" CHECK ("homes"."no_contact_alert_days" between 1 and 365)
);
