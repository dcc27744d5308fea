CREATE TABLE "child_photos" (
	"child_id" text PRIMARY KEY NOT NULL,
	"home_id" text NOT NULL,
	"content_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"byte_size" integer NOT NULL,
	"version" text NOT NULL,
	"uploaded_by" text,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "child_photos_content_type" CHECK ("child_photos"."content_type" in ('image/jpeg','image/webp','image/png')),
	CONSTRAINT "child_photos_byte_size" CHECK ("child_photos"."byte_size" > 0 and "child_photos"."byte_size" = octet_length("child_photos"."data"))
);
--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "photo_version" text;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD COLUMN "entry_date" date DEFAULT current_date NOT NULL;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "diary_entries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "child_photos" ADD CONSTRAINT "child_photos_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_photos" ADD CONSTRAINT "child_photos_home_id_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_photos" ADD CONSTRAINT "child_photos_uploaded_by_staff_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "child_photos_home_idx" ON "child_photos" USING btree ("home_id");--> statement-breakpoint
CREATE INDEX "diary_entries_child_date_idx" ON "diary_entries" USING btree ("child_id","entry_date");--> statement-breakpoint
ALTER TABLE "children" DROP COLUMN "photo_path";--> statement-breakpoint
ALTER TABLE "diary_entries" ADD CONSTRAINT "diary_entries_tags" CHECK ("diary_entries"."tags" <@ array['study','emotion','health','family']::text[]);