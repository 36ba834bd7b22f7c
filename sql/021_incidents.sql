-- 021_incidents.sql - incidents: one problem (a storage array, a network) behind many customers' tickets.
-- An agent opens one from a ticket (#incident new TITLE) and joins others to it (#incident ID); a mail to the
-- incident's tag ([PREFIX INC-N]) reaches each joined customer in their own ticket.  last_update: the words the
-- customers were last sent, which a customer whose ticket joins later receives.
CREATE TABLE incidents (
    id              bigserial PRIMARY KEY,
    title           text NOT NULL,
    team            text NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at      timestamptz NOT NULL DEFAULT sg_now(),
    created_by      text NOT NULL,
    resolved_at     timestamptz,
    last_update     text,
    last_update_at  timestamptz,
    last_update_by  text
);
ALTER TABLE tickets ADD COLUMN incident_id bigint REFERENCES incidents (id);
CREATE INDEX tickets_incident ON tickets (incident_id) WHERE incident_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE ON incidents TO supportgate_milter;
GRANT USAGE ON SEQUENCE incidents_id_seq TO supportgate_milter;
GRANT SELECT ON incidents TO supportgate_cli, supportgate_scheduler;
