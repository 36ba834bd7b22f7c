-- 024_first_team.sql - the team a ticket came to, so that the SLA report counts each clock under the team that ran it.
-- The acknowledgement and the first response are the clocks of whoever had the ticket then: a ticket escalated
-- later still counts them for the team it came to (first_team) when they were done, or fell due, before
-- escalated_at.  The update and resolution clocks count for the owning team.
ALTER TABLE tickets ADD COLUMN first_team text;
-- Known from the first escalation's history line ("support -> sysadmins by ..."), else the team it has.
UPDATE tickets t SET first_team = coalesce((SELECT substring(e.detail FROM '^(\S+) -> ') FROM events e
    WHERE e.ticket_id = t.id AND e.type = 'escalated' AND e.detail ~ '^\S+ -> ' ORDER BY e.at, e.id LIMIT 1), t.team);
ALTER TABLE tickets ALTER COLUMN first_team SET NOT NULL;

CREATE FUNCTION tickets_first_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.first_team := coalesce(NEW.first_team, NEW.team);
    RETURN NEW;
END
$$;
CREATE TRIGGER tickets_first_team BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_first_team();
