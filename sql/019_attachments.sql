-- 019_attachments.sql - the files that come with mail, kept once each, so the ticket holds them and not only their names.
-- blobs: one row per distinct content (SHA-256), in bytea: TOAST stores it out of line and compresses what
--   compresses (logs, configs) while giving up early on what does not (PNG, PDF, zip); rows replicate, dump and
--   delete with the rest, where large objects need lo_unlink and vacuumlo.  content is NULL once purged
--   (attachment_retention); the hash and size stay.
-- attachments: each file of each recorded mail, in order (position), pointing at its content.  stored is false
--   when its content was not kept (over a limit, or purged later) and note says why, in the operator's words.
CREATE TABLE blobs (
    sha256      bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    size        bigint NOT NULL CHECK (size >= 0),
    content     bytea,
    stored_at   timestamptz NOT NULL DEFAULT sg_now()
);

CREATE TABLE attachments (
    id           bigserial PRIMARY KEY,
    message_id   bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    position     int NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL,
    sha256       bytea NOT NULL,
    content_id   text,
    is_inline    boolean NOT NULL DEFAULT false,
    packed_in    text,
    stored       boolean NOT NULL,
    note         text,
    UNIQUE (message_id, position)
);
-- The ticket's files are found through its messages; a purge or a dedup lookup by content.
CREATE INDEX attachments_sha256 ON attachments (sha256);

-- A file whose content was not kept (over a limit, or purged) is a line of the ticket's history.
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'acked', 'replied', 'escalated', 'status', 'breach', 'notified',
                    'category', 'assigned', 'eta', 'linked', 'attachment'));

-- The milter records files with the mail; the scheduler purges content past attachment_retention; the CLI reads.
GRANT SELECT, INSERT, UPDATE ON blobs TO supportgate_milter;
GRANT SELECT, INSERT ON attachments TO supportgate_milter;
GRANT USAGE ON SEQUENCE attachments_id_seq TO supportgate_milter;
GRANT SELECT, UPDATE ON blobs, attachments TO supportgate_scheduler;
GRANT SELECT ON blobs, attachments TO supportgate_cli;
