-- 016_links.sql - tickets that belong together: one merged into another, or linked both ways.
-- ticket_links: one row per relation, read both ways (`ticket show`: merged_into from the merged ticket,
--   merged_from from the one it went into; linked from either).  A merged ticket is closed and points at the
--   ticket it went into (tickets.merged_into); its messages and events move there, so the history reads as one,
--   and mail to its tag lands in that ticket.
CREATE TABLE ticket_links (
    id        bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id),
    other_id  bigint NOT NULL REFERENCES tickets (id),
    type      text NOT NULL CHECK (type IN ('merged_into', 'linked')),
    at        timestamptz NOT NULL DEFAULT now(),
    by_agent  text,
    CHECK (ticket_id <> other_id),
    UNIQUE (ticket_id, other_id, type)
);
CREATE INDEX ticket_links_other ON ticket_links (other_id);
ALTER TABLE tickets ADD COLUMN merged_into bigint REFERENCES tickets (id);

ALTER TABLE events DROP CONSTRAINT IF EXISTS events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'acked', 'replied', 'escalated', 'status', 'breach', 'notified',
                    'category', 'assigned', 'eta', 'linked'));

-- An agent's mail (the milter) records relations and merges; the CLI shows them.
GRANT SELECT, INSERT ON ticket_links TO supportgate_milter;
GRANT USAGE ON SEQUENCE ticket_links_id_seq TO supportgate_milter;
GRANT SELECT ON ticket_links TO supportgate_cli, supportgate_scheduler;
