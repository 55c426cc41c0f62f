-- Intake (issue 4): the idempotency check of a report and the hotline status push-back.
--
-- A retried submission with the same idempotency key returns the case the first one made; a submission
-- with that key but a different body is refused (IDEMPOTENCY_CONFLICT). The key's owner and value are
-- event_case.idem_scope / idempotency_key (unique); this is the sha-256 of the normalised body.
ALTER TABLE event_case ADD COLUMN idem_hash text;
-- When the reported problem happened (the reporter's occurredAt, a device alarm's time); reported_at is when it reached us.
ALTER TABLE event_case ADD COLUMN occurred_at timestamptz;

-- A push the receiver kept refusing is given up after the last retry (still visible for an operator).
ALTER TABLE webhook_outbox ADD COLUMN failed_at timestamptz;
ALTER TABLE webhook_outbox ADD COLUMN kind text NOT NULL DEFAULT 'hotline.status';
DROP INDEX IF EXISTS webhook_outbox_due_idx;
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
-- Uploads not yet linked to a case, per uploader (the link check and a clean-up look them up).
CREATE INDEX event_case_attachment_unlinked_idx ON event_case_attachment (uploaded_by, created_at) WHERE case_id IS NULL;
