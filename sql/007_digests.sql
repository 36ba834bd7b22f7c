-- 007_digests.sql - management digests: which period each schedule has reported, so every breach is in exactly one.
CREATE TABLE digests (
    schedule     text NOT NULL,
    period_start timestamptz NOT NULL,
    period_end   timestamptz NOT NULL,
    breaches     int NOT NULL,
    sent_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule, period_end)
);
GRANT SELECT, INSERT ON digests TO supportgate_scheduler;
GRANT SELECT ON digests TO supportgate_cli;
