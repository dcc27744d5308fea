-- A new booking in one statement (one round trip, plans cached per connection): the write locks (household, kiosk
-- hours, in one global order), the booking, its link rows, the weekly quota re-counted after the locks, and the
-- change's audit row. Each statement of a volatile function takes a fresh snapshot, so the count sees every booking
-- the previous holder of the locks committed. A child over the quota raises a check violation naming
-- "bookings_weekly_quota"; an exclusion constraint raises as before; either way nothing of it is left.
CREATE FUNCTION "create_booking"(
  "p_lock_namespace" integer,
  "p_lock_keys" text[],
  "p_id" text,
  "p_home_id" text,
  "p_kiosk_id" text,
  "p_household_id" text,
  "p_contact_id" text,
  "p_second_contact_id" text,
  "p_child_ids" text[],
  "p_start_at" timestamptz,
  "p_end_at" timestamptz,
  "p_status" text,
  "p_source" text,
  "p_series_id" text,
  "p_created_by" text,
  "p_now" timestamptz,
  "p_counted_statuses" text[],
  "p_quota_week_start" timestamptz,
  "p_quota_week_end" timestamptz,
  "p_quota_limit" integer,
  "p_audit" jsonb
) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  lock_key text;
  used integer;
BEGIN
  FOR lock_key IN SELECT k FROM unnest(p_lock_keys) AS k ORDER BY k LOOP
    PERFORM pg_advisory_xact_lock(p_lock_namespace, hashtext(lock_key));
  END LOOP;
  INSERT INTO "bookings" ("id", "home_id", "kiosk_id", "household_id", "contact_id", "second_contact_id", "start_at",
                          "end_at", "status", "source", "series_id", "created_by", "created_at", "updated_at")
  VALUES (p_id, p_home_id, p_kiosk_id, p_household_id, p_contact_id, p_second_contact_id, p_start_at, p_end_at,
          p_status, p_source, p_series_id, p_created_by, p_now, p_now);
  INSERT INTO "booking_children" ("booking_id", "child_id", "start_at", "end_at")
  SELECT p_id, c, p_start_at, p_end_at FROM unnest(p_child_ids) AS c;
  INSERT INTO "booking_contacts" ("booking_id", "contact_id", "start_at", "end_at")
  SELECT p_id, c, p_start_at, p_end_at FROM unnest(array_remove(ARRAY[p_contact_id, p_second_contact_id], NULL)) AS c;
  IF p_quota_limit IS NOT NULL THEN
    SELECT coalesce(max(per_child.n), 0) INTO used FROM (
      SELECT count(*) AS n
        FROM "booking_children" bc JOIN "bookings" b ON b."id" = bc."booking_id"
       WHERE bc."child_id" = ANY (p_child_ids)
         AND b."status" = ANY (p_counted_statuses)
         AND b."start_at" >= p_quota_week_start AND b."start_at" < p_quota_week_end
         AND b."id" <> p_id
       GROUP BY bc."child_id") per_child;
    IF used >= p_quota_limit THEN
      RAISE EXCEPTION 'a child of the call has had its calls of the week'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_weekly_quota';
    END IF;
  END IF;
  IF p_audit IS NOT NULL THEN
    INSERT INTO "audit_events" SELECT * FROM jsonb_populate_record(NULL::"audit_events", p_audit);
  END IF;
END
$$;
