-- Leases for cluster-wide maintenance jobs (retention): whichever instance holds a job's row,
-- unexpired, runs it; the others skip. One row per job, created here.
CREATE TABLE maintenance_lease (
    name       VARCHAR(50)              NOT NULL,
    owner      VARCHAR(100),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_maintenance_lease PRIMARY KEY (name)
);
INSERT INTO maintenance_lease (name, owner, expires_at)
VALUES ('retention', NULL, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00');
