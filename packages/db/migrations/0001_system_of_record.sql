CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text,
	"details" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "availability_windows" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	CONSTRAINT "availability_windows_weekday" CHECK ("availability_windows"."weekday" between 1 and 7),
	CONSTRAINT "availability_windows_times" CHECK ("availability_windows"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "availability_windows"."end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
	CONSTRAINT "availability_windows_order" CHECK ("availability_windows"."start_time" < "availability_windows"."end_time")
);
--> statement-breakpoint
CREATE TABLE "booking_children" (
	"booking_id" text NOT NULL,
	"child_id" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"active" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "booking_children_booking_id_child_id_pk" PRIMARY KEY("booking_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "booking_contacts" (
	"booking_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"active" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "booking_contacts_booking_id_contact_id_pk" PRIMARY KEY("booking_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"kiosk_id" text NOT NULL,
	"household_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"second_contact_id" text,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"series_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"cancel_reason" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_order" CHECK ("bookings"."start_at" < "bookings"."end_at"),
	CONSTRAINT "bookings_status" CHECK ("bookings"."status" in ('proposed','confirmed','in-progress','completed','missed','cancelled','declined')),
	CONSTRAINT "bookings_source" CHECK ("bookings"."source" in ('teacher','parent','auto','adhoc')),
	CONSTRAINT "bookings_two_contacts" CHECK ("bookings"."second_contact_id" is null or "bookings"."second_contact_id" <> "bookings"."contact_id")
);
--> statement-breakpoint
CREATE TABLE "call_log_children" (
	"call_log_id" text NOT NULL,
	"child_id" text NOT NULL,
	"mood" smallint,
	CONSTRAINT "call_log_children_call_log_id_child_id_pk" PRIMARY KEY("call_log_id","child_id"),
	CONSTRAINT "call_log_children_mood" CHECK ("call_log_children"."mood" is null or "call_log_children"."mood" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "call_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"booking_id" text NOT NULL,
	"outcome" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"overlap_seconds" integer DEFAULT 0 NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_logs_booking_id_unique" UNIQUE("booking_id"),
	CONSTRAINT "call_logs_outcome" CHECK ("call_logs"."outcome" is null or "call_logs"."outcome" in ('completed','parent-no-show','child-no-show','failed'))
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"household_id" text NOT NULL,
	"family_name" text NOT NULL,
	"given_name" text NOT NULL,
	"class_name" text,
	"birth_year" smallint,
	"photo_path" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	CONSTRAINT "children_birth_year" CHECK ("children"."birth_year" is null or "children"."birth_year" between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"household_id" text NOT NULL,
	"name" text NOT NULL,
	"relation" text NOT NULL,
	"phone" text NOT NULL,
	"city" text,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"language" text DEFAULT 'zh-CN' NOT NULL,
	"channel" text DEFAULT 'video' NOT NULL,
	"phone_fallback" boolean DEFAULT true NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"consent_recorded_by" text,
	"consent_recorded_at" timestamp with time zone,
	"sms_opt_out" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_phone_e164" CHECK ("contacts"."phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "contacts_relation" CHECK ("contacts"."relation" in ('mother','father','grandmother','grandfather','guardian','other')),
	CONSTRAINT "contacts_channel" CHECK ("contacts"."channel" in ('video','phone')),
	CONSTRAINT "contacts_language" CHECK ("contacts"."language" in ('zh-CN','en')),
	CONSTRAINT "contacts_approval" CHECK (("contacts"."approved_at" is null) = ("contacts"."approved_by" is null))
);
--> statement-breakpoint
CREATE TABLE "diary_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"child_id" text NOT NULL,
	"staff_id" text,
	"booking_id" text,
	"text" text NOT NULL,
	"mood" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "diary_entries_mood" CHECK ("diary_entries"."mood" is null or "diary_entries"."mood" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "duty_overrides" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"date" date NOT NULL,
	"staff_id" text NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "duty_overrides_kind" CHECK ("duty_overrides"."kind" in ('add', 'remove'))
);
--> statement-breakpoint
CREATE TABLE "duty_patterns" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"weekday" smallint NOT NULL,
	"staff_id" text NOT NULL,
	CONSTRAINT "duty_patterns_weekday" CHECK ("duty_patterns"."weekday" between 1 and 7)
);
--> statement-breakpoint
CREATE TABLE "family_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"via" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "family_devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "family_enrolments" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "family_enrolments_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kiosks" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"enrolment_code_hash" text,
	"enrolment_expires_at" timestamp with time zone,
	"device_token_hash" text,
	"enrolled_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kiosks_device_token_hash_unique" UNIQUE("device_token_hash")
);
--> statement-breakpoint
CREATE TABLE "one_time_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"code_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"failed_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opening_exceptions" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"date" date NOT NULL,
	"closed" boolean NOT NULL,
	"start_time" text,
	"end_time" text,
	"note" text,
	CONSTRAINT "opening_exceptions_shape" CHECK (("opening_exceptions"."closed" and "opening_exceptions"."start_time" is null and "opening_exceptions"."end_time" is null) or (not "opening_exceptions"."closed" and "opening_exceptions"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "opening_exceptions"."end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "opening_exceptions"."start_time" < "opening_exceptions"."end_time"))
);
--> statement-breakpoint
CREATE TABLE "opening_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	CONSTRAINT "opening_rules_weekday" CHECK ("opening_rules"."weekday" between 1 and 7),
	CONSTRAINT "opening_rules_times" CHECK ("opening_rules"."start_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "opening_rules"."end_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
	CONSTRAINT "opening_rules_order" CHECK ("opening_rules"."start_time" < "opening_rules"."end_time")
);
--> statement-breakpoint
CREATE TABLE "pairings" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"child_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text,
	"direction" text NOT NULL,
	"dedupe_key" text,
	"to_phone" text NOT NULL,
	"from_phone" text,
	"body" text NOT NULL,
	"template" text,
	"language" text,
	"status" text NOT NULL,
	"provider" text,
	"provider_id" text,
	"error_code" text,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"booking_id" text,
	"contact_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_messages_direction" CHECK ("sms_messages"."direction" in ('out','in')),
	CONSTRAINT "sms_messages_status" CHECK ("sms_messages"."status" in ('pending','sending','sent','delivered','undelivered','failed','received','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"role" text NOT NULL,
	"display_name" text NOT NULL,
	"username" text,
	"phone" text,
	"password_hash" text NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_role" CHECK ("staff"."role" in ('admin', 'teacher')),
	CONSTRAINT "staff_login_name" CHECK ("staff"."username" is not null or "staff"."phone" is not null),
	CONSTRAINT "staff_phone_e164" CHECK ("staff"."phone" is null or "staff"."phone" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "staff_sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "availability_windows" ADD CONSTRAINT "availability_windows_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_children" ADD CONSTRAINT "booking_children_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_children" ADD CONSTRAINT "booking_children_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_contacts" ADD CONSTRAINT "booking_contacts_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_contacts" ADD CONSTRAINT "booking_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_kiosk_id_kiosks_id_fk" FOREIGN KEY ("kiosk_id") REFERENCES "public"."kiosks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_second_contact_id_contacts_id_fk" FOREIGN KEY ("second_contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_log_children" ADD CONSTRAINT "call_log_children_call_log_id_call_logs_id_fk" FOREIGN KEY ("call_log_id") REFERENCES "public"."call_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_log_children" ADD CONSTRAINT "call_log_children_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_approved_by_staff_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_consent_recorded_by_staff_id_fk" FOREIGN KEY ("consent_recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_overrides" ADD CONSTRAINT "duty_overrides_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_overrides" ADD CONSTRAINT "duty_overrides_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_patterns" ADD CONSTRAINT "duty_patterns_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_patterns" ADD CONSTRAINT "duty_patterns_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_devices" ADD CONSTRAINT "family_devices_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_enrolments" ADD CONSTRAINT "family_enrolments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kiosks" ADD CONSTRAINT "kiosks_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_exceptions" ADD CONSTRAINT "opening_exceptions_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opening_rules" ADD CONSTRAINT "opening_rules_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_kind","subject_id");--> statement-breakpoint
CREATE INDEX "audit_events_home_at_idx" ON "audit_events" USING btree ("home_id","at");--> statement-breakpoint
CREATE INDEX "availability_windows_contact_idx" ON "availability_windows" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "booking_children_child_idx" ON "booking_children" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "booking_contacts_contact_idx" ON "booking_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "bookings_home_start_idx" ON "bookings" USING btree ("home_id","start_at");--> statement-breakpoint
CREATE INDEX "bookings_household_idx" ON "bookings" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "bookings_contact_idx" ON "bookings" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "call_log_children_child_idx" ON "call_log_children" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "call_logs_home_idx" ON "call_logs" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "children_home_idx" ON "children" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "children_household_idx" ON "children" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "contacts_home_idx" ON "contacts" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "contacts_household_idx" ON "contacts" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "contacts_phone_idx" ON "contacts" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_household_phone_unique" ON "contacts" USING btree ("household_id","phone");--> statement-breakpoint
CREATE INDEX "diary_entries_child_idx" ON "diary_entries" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_overrides_unique" ON "duty_overrides" USING btree ("home_id","date","staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_patterns_unique" ON "duty_patterns" USING btree ("home_id","weekday","staff_id");--> statement-breakpoint
CREATE INDEX "family_devices_contact_idx" ON "family_devices" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "family_enrolments_contact_idx" ON "family_enrolments" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "households_home_idx" ON "households" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "kiosks_home_idx" ON "kiosks" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "one_time_codes_phone_idx" ON "one_time_codes" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "opening_exceptions_home_date_idx" ON "opening_exceptions" USING btree ("home_id","date");--> statement-breakpoint
CREATE INDEX "opening_rules_home_idx" ON "opening_rules" USING btree ("home_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pairings_unique" ON "pairings" USING btree ("staff_id","child_id");--> statement-breakpoint
CREATE INDEX "pairings_child_idx" ON "pairings" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_dedupe_unique" ON "sms_messages" USING btree ("dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_messages_provider_id_unique" ON "sms_messages" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "sms_messages_status_due_idx" ON "sms_messages" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "sms_messages_home_idx" ON "sms_messages" USING btree ("home_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_username_unique" ON "staff" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "staff_phone_unique" ON "staff" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "staff_home_idx" ON "staff" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "staff_sessions_staff_idx" ON "staff_sessions" USING btree ("staff_id");