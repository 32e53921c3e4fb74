-- Every UPDATE of a row that changes an indexed column (or a column of a partial index's WHERE)
-- writes a new entry into every index of the table; one that changes none can be HOT (heap-only:
-- no index entry at all). flow_execution is updated five times per approval cycle, on status,
-- next_run_at and the lease columns, so its indexes hold only what a query needs.

-- No query looks leases up by expiry: the claim filters them among the due rows it found by
-- ix_flow_execution_due (PostgreSQL) or ix_flow_execution_runnable (H2). Without this index a
-- claim, heartbeat or release changes no indexed column and can be HOT.
DROP INDEX ix_flow_execution_lease;

-- "my executions, newest first", in the order the listing reads them, so that it stops after a
-- page; a status filter is applied on the way. status (rewritten by most commits) stays out.
DROP INDEX ix_flow_execution_owner_status;
CREATE INDEX ix_flow_execution_owner ON flow_execution (owner, created_at DESC, id);
