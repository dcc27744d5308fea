-- A kiosk, a child and a contact are never in two active bookings at once: the database enforces it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_kiosk_no_overlap"
  EXCLUDE USING gist ("kiosk_id" WITH =, tstzrange("start_at", "end_at", '[)') WITH &&)
  WHERE ("status" IN ('proposed', 'confirmed', 'in-progress'));
--> statement-breakpoint
ALTER TABLE "booking_children" ADD CONSTRAINT "booking_children_no_overlap"
  EXCLUDE USING gist ("child_id" WITH =, tstzrange("start_at", "end_at", '[)') WITH &&)
  WHERE ("active" = 1);
--> statement-breakpoint
ALTER TABLE "booking_contacts" ADD CONSTRAINT "booking_contacts_no_overlap"
  EXCLUDE USING gist ("contact_id" WITH =, tstzrange("start_at", "end_at", '[)') WITH &&)
  WHERE ("active" = 1);
--> statement-breakpoint
-- The link rows mirror their booking's time and state, whatever the code writes.
CREATE FUNCTION "booking_link_fill"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT b."start_at", b."end_at",
         CASE WHEN b."status" IN ('proposed', 'confirmed', 'in-progress') THEN 1 ELSE 0 END
    INTO NEW."start_at", NEW."end_at", NEW."active"
    FROM "bookings" b WHERE b."id" = NEW."booking_id";
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "booking_children_fill" BEFORE INSERT OR UPDATE ON "booking_children"
  FOR EACH ROW EXECUTE FUNCTION "booking_link_fill"();
--> statement-breakpoint
CREATE TRIGGER "booking_contacts_fill" BEFORE INSERT OR UPDATE ON "booking_contacts"
  FOR EACH ROW EXECUTE FUNCTION "booking_link_fill"();
--> statement-breakpoint
CREATE FUNCTION "booking_links_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "booking_children" SET "active" = "active" WHERE "booking_id" = NEW."id";
  UPDATE "booking_contacts" SET "active" = "active" WHERE "booking_id" = NEW."id";
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "bookings_sync_links" AFTER UPDATE OF "start_at", "end_at", "status" ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION "booking_links_sync"();
