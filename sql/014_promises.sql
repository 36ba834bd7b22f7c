-- 014_promises.sql - every time told to a customer is a clock: estimates and "you will hear from us by" as promises.
-- promises: one row per time a customer was told (or, for an #internal estimate, a time the desk set itself,
--   told_at NULL).  An estimate or escalation notice that replaces an earlier one marks it replaced_at and stays:
--   the history shows what the customer was told and when.  The first-response time the acknowledgement names is
--   the ticket's own due_first_response; `ticket show --json` lists it among the promises without a row here, so
--   intake writes nothing more per mail.  Whether a promise was kept is read from the ticket (an agent's answer
--   for first_response and update, the resolution for eta) when it is shown.
-- tickets.warn_eta: when the owner is warned that the estimate falls due (warn_at percent of the time from the
--   promise to it); the estimate itself (tickets.eta, since 002) is a clock like the SLAs: an `eta` breach when
--   it passes with the ticket still open.
CREATE TABLE promises (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint NOT NULL REFERENCES tickets (id),
    kind        text NOT NULL CHECK (kind IN ('first_response', 'eta', 'update', 'resolution')),
    due         timestamptz NOT NULL,
    told_at     timestamptz,
    replaced_at timestamptz
);
CREATE INDEX promises_ticket ON promises (ticket_id);

ALTER TABLE tickets ADD COLUMN warn_eta timestamptz;
ALTER TABLE breaches DROP CONSTRAINT breaches_sla_check,
    ADD CONSTRAINT breaches_sla_check CHECK (sla IN ('ack', 'first_response', 'update', 'resolution', 'eta'));
ALTER TABLE warnings DROP CONSTRAINT warnings_sla_check,
    ADD CONSTRAINT warnings_sla_check CHECK (sla IN ('first_response', 'update', 'resolution', 'eta'));

-- The estimate joins the clocks the scheduler looks at (009): next_check includes it and its warning.
CREATE OR REPLACE FUNCTION tickets_next_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    after timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.status, NEW.acked_at, NEW.due_ack, NEW.first_response_at, NEW.due_first_response,
                             NEW.warn_first_response, NEW.due_update, NEW.warn_update, NEW.due_resolution,
                             NEW.warn_resolution, NEW.eta, NEW.warn_eta)
        IS DISTINCT FROM (OLD.status, OLD.acked_at, OLD.due_ack, OLD.first_response_at, OLD.due_first_response,
                          OLD.warn_first_response, OLD.due_update, OLD.warn_update, OLD.due_resolution,
                          OLD.warn_resolution, OLD.eta, OLD.warn_eta) THEN
        NEW.checked_until := NULL;
    END IF;
    after := coalesce(NEW.checked_until, '-infinity');
    -- least() skips NULLs; a time equal to checked_until is looked at again (a breach needs due < now).
    NEW.next_check := least(
        CASE WHEN NEW.acked_at IS NULL AND NEW.due_ack >= after THEN NEW.due_ack END,
        CASE WHEN NEW.first_response_at IS NULL AND NEW.status NOT IN ('resolved', 'closed') THEN
            least(CASE WHEN NEW.warn_first_response >= after THEN NEW.warn_first_response END,
                  CASE WHEN NEW.due_first_response >= after THEN NEW.due_first_response END) END,
        CASE WHEN NEW.status IN ('new', 'open') THEN
            least(CASE WHEN NEW.warn_update >= after THEN NEW.warn_update END,
                  CASE WHEN NEW.due_update >= after THEN NEW.due_update END,
                  CASE WHEN NEW.warn_resolution >= after THEN NEW.warn_resolution END,
                  CASE WHEN NEW.due_resolution >= after THEN NEW.due_resolution END,
                  CASE WHEN NEW.warn_eta >= after THEN NEW.warn_eta END,
                  CASE WHEN NEW.eta >= after THEN NEW.eta END) END);
    RETURN NEW;
END $$;

-- Agents' estimates come through the milter; the policy's escalations through the scheduler; the command line reads.
GRANT SELECT, INSERT, UPDATE ON promises TO supportgate_milter, supportgate_scheduler;
GRANT USAGE ON SEQUENCE promises_id_seq TO supportgate_milter, supportgate_scheduler;
GRANT SELECT ON promises TO supportgate_cli;
