-- 006_warnings.sql - warnings sent before a deadline (e.g. at 80 % of it), each once.
CREATE TABLE warnings (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id),
    sla         text NOT NULL CHECK (sla IN ('first_response', 'update', 'resolution')),
    due         timestamptz NOT NULL,
    at          timestamptz NOT NULL,
    notified_at timestamptz,
    UNIQUE (ticket_id, sla, due)
);
CREATE INDEX warnings_unnotified ON warnings (id) WHERE notified_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON warnings TO supportgate_scheduler;
GRANT USAGE ON SEQUENCE warnings_id_seq TO supportgate_scheduler;
GRANT SELECT ON warnings TO supportgate_cli;
