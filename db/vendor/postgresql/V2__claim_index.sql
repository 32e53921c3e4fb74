-- PostgreSQL only: a partial index holding just the rows a worker may claim, so the claim query
-- (FOR UPDATE SKIP LOCKED, see LeaseStore) stays an index scan however many finished rows exist.
-- H2 has no partial indexes; it uses ix_flow_execution_runnable from V1.
CREATE INDEX ix_flow_execution_due ON flow_execution (next_run_at)
    WHERE status IN ('PENDING', 'RUNNING');
