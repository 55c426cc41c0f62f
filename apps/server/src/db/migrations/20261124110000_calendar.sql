-- Working-day calendar: administrator corrections and new years of the holiday schedule (the shipped
-- 2025/2026 data live in code: modules/calendar/holidays-cn.ts; a row here replaces a shipped year), and
-- office hours per jurisdiction (the nearest region up the tree with a row applies).
CREATE TABLE holiday_schedule (
  year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  source      text NOT NULL,
  -- ISO dates as JSON arrays: identical on both engines and in the API.
  off_days    jsonb NOT NULL DEFAULT '[]'::jsonb,
  work_days   jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES app_user(id)
);

CREATE TABLE office_hours (
  region_id   uuid PRIMARY KEY REFERENCES region(id),
  periods     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES app_user(id)
);

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON holiday_schedule, office_hours TO gridgov_app;
  END IF;
END $$;
