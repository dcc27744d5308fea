CREATE TABLE "districts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "districts" ("id", "name") VALUES ('dst_0000000000000000', '默认区县');--> statement-breakpoint
ALTER TABLE "staff" DROP CONSTRAINT "staff_role";--> statement-breakpoint
ALTER TABLE "staff" ALTER COLUMN "home_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "homes" ADD COLUMN "district_id" text DEFAULT 'dst_0000000000000000' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "district_id" text;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD COLUMN "current_home_id" text;--> statement-breakpoint
ALTER TABLE "homes" ADD CONSTRAINT "homes_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_current_home_id_homes_id_fk" FOREIGN KEY ("current_home_id") REFERENCES "public"."homes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "homes_district_idx" ON "homes" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "staff_district_idx" ON "staff" USING btree ("district_id");--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_scope" CHECK (("staff"."role" = 'district-admin' and "staff"."home_id" is null and "staff"."district_id" is not null) or ("staff"."role" <> 'district-admin' and "staff"."home_id" is not null and "staff"."district_id" is null));--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_role" CHECK ("staff"."role" in ('admin', 'teacher', 'district-admin'));