-- Attachments on disk or in an S3-compatible bucket (issue 4, item 3). Each row says which store holds its
-- bytes, so switching ATTACHMENT_STORAGE later leaves the files stored before readable where they are.
ALTER TABLE event_case_attachment ADD COLUMN storage text NOT NULL DEFAULT 'disk';
ALTER TABLE event_case_attachment ADD CONSTRAINT event_case_attachment_storage_check CHECK (storage IN ('disk', 's3'));

-- The cleanup job deletes uploads no report or action linked, oldest first, by age alone.
CREATE INDEX event_case_attachment_unlinked_age_idx ON event_case_attachment (created_at) WHERE case_id IS NULL;

-- Open311 media_url: why the server could not store the picture (null when it did, or when none was given).
-- The report is kept either way.
ALTER TABLE open311_request ADD COLUMN media_error text;
