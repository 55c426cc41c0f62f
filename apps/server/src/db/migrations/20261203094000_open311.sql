-- Open311 GeoReport v2 (issue 4 §11): what a POST /open311/v2/requests brought beyond the case itself — the
-- API token (client) that submitted it and the spec's client fields. The reporter's e-mail is personal data:
-- stored encrypted (AES-256-GCM, like phones) with a masked copy; the public read never shows any of it.
CREATE TABLE open311_request (
  case_id         uuid PRIMARY KEY REFERENCES event_case(id),
  token_id        uuid NOT NULL REFERENCES api_token(id),
  jurisdiction_id text,
  device_id       text,
  account_id      text,
  address_id      text,
  email_enc       bytea,
  email_masked    text,
  media_url       text,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX open311_request_token_idx ON open311_request (token_id);

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridgov_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON open311_request TO gridgov_app;
  END IF;
END $$;
