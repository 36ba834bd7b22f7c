-- 011_digest_breaches.sql - which breaches each digest of each schedule reported.
-- A digest takes every breach of its schedule not taken yet, rather than those whose time falls in its
-- period: a breach is stamped with its pass's time but seen only once that pass commits, which can be after
-- a digest has closed the period, and then only the next digest can report it.
CREATE TABLE digest_breaches (
    schedule   text NOT NULL,
    breach_id  bigint NOT NULL REFERENCES breaches (id),
    period_end timestamptz NOT NULL,
    PRIMARY KEY (schedule, breach_id),
    FOREIGN KEY (schedule, period_end) REFERENCES digests (schedule, period_end)
);
CREATE INDEX digest_breaches_digest ON digest_breaches (schedule, period_end);
-- Digests sent before this version reported the breaches of their periods: record them as taken, so that
-- the next digest does not report them again (the first digest whose period held a breach keeps it).
INSERT INTO digest_breaches (schedule, breach_id, period_end)
    SELECT d.schedule, b.id, min(d.period_end) FROM digests d
    JOIN breaches b ON b.at >= d.period_start AND b.at < d.period_end GROUP BY d.schedule, b.id;
GRANT SELECT, INSERT ON digest_breaches TO supportgate_scheduler;
GRANT SELECT ON digest_breaches TO supportgate_cli;
