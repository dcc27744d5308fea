-- Every change to what a slot search or a staff session reads is announced on the channel "affection_changes"
-- (NOTIFY: delivered at commit, to every process listening, identical payloads of one transaction sent once), so
-- that the processes' in-memory read models forget exactly what changed, whoever wrote it:
--   b:<home>:<booking>    a booking, its children or its contacts
--   h:<home>:<household>  a household, its children, its contacts or their availability windows
--   c:<home>              the Home's settings, opening hours, dated exceptions or kiosks
--   s:<staff>             a staff account or one of its sessions (revoked, expired, moved to another Home)
CREATE FUNCTION "announce_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  payload text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  CASE TG_TABLE_NAME
    WHEN 'bookings' THEN payload := 'b:' || r."home_id" || ':' || r."id";
    WHEN 'booking_children', 'booking_contacts' THEN
      SELECT 'b:' || b."home_id" || ':' || b."id" INTO payload FROM "bookings" b WHERE b."id" = r."booking_id";
    WHEN 'households' THEN payload := 'h:' || r."home_id" || ':' || r."id";
    WHEN 'children', 'contacts' THEN
      payload := 'h:' || r."home_id" || ':' || r."household_id";
      IF TG_OP = 'UPDATE' AND OLD."household_id" IS DISTINCT FROM NEW."household_id" THEN
        PERFORM pg_notify('affection_changes', 'h:' || OLD."home_id" || ':' || OLD."household_id");
      END IF;
    WHEN 'availability_windows' THEN
      SELECT 'h:' || c."home_id" || ':' || c."household_id" INTO payload FROM "contacts" c WHERE c."id" = r."contact_id";
    WHEN 'homes' THEN payload := 'c:' || r."id";
    WHEN 'kiosks', 'opening_rules', 'opening_exceptions' THEN payload := 'c:' || r."home_id";
    WHEN 'staff' THEN payload := 's:' || r."id";
    WHEN 'staff_sessions' THEN payload := 's:' || r."staff_id";
    ELSE payload := NULL;
  END CASE;
  IF payload IS NOT NULL THEN
    PERFORM pg_notify('affection_changes', payload);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "bookings_announce" AFTER INSERT OR UPDATE OR DELETE ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "booking_children_announce" AFTER INSERT OR DELETE OR UPDATE OF "child_id" ON "booking_children"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "booking_contacts_announce" AFTER INSERT OR DELETE OR UPDATE OF "contact_id" ON "booking_contacts"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "households_announce" AFTER INSERT OR UPDATE OR DELETE ON "households"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "children_announce" AFTER INSERT OR UPDATE OR DELETE ON "children"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "contacts_announce" AFTER INSERT OR UPDATE OR DELETE ON "contacts"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "availability_windows_announce" AFTER INSERT OR UPDATE OR DELETE ON "availability_windows"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "homes_announce" AFTER INSERT OR UPDATE OR DELETE ON "homes"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "kiosks_announce" AFTER INSERT OR DELETE OR UPDATE OF "home_id", "enabled", "enrolled_at", "revoked_at"
  ON "kiosks" FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "opening_rules_announce" AFTER INSERT OR UPDATE OR DELETE ON "opening_rules"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "opening_exceptions_announce" AFTER INSERT OR UPDATE OR DELETE ON "opening_exceptions"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "staff_announce" AFTER DELETE OR UPDATE OF "home_id", "district_id", "role", "active" ON "staff"
  FOR EACH ROW EXECUTE FUNCTION "announce_change"();
--> statement-breakpoint
CREATE TRIGGER "staff_sessions_announce" AFTER DELETE OR UPDATE OF "revoked_at", "expires_at", "current_home_id"
  ON "staff_sessions" FOR EACH ROW EXECUTE FUNCTION "announce_change"();
