-- PostgreSQL only: partial indexes hold just the rows their queries look for, so a row that
-- leaves that set (an execution parking or finishing, a request answered) writes no entry into
-- them, and they stay as small as the set itself. H2 keeps the plain indexes of V1.

-- The claim is served by ix_flow_execution_due (V2); the gauges' runnable count too.
DROP INDEX ix_flow_execution_runnable;

-- Retention looks for finished rows only.
DROP INDEX ix_flow_execution_finished;
CREATE INDEX ix_flow_execution_finished ON flow_execution (finished_at) WHERE finished_at IS NOT NULL;

-- An agent role's inbox and the deadline sweep look for pending requests only.
DROP INDEX ix_agent_request_inbox;
CREATE INDEX ix_agent_request_inbox ON agent_request (agent_role, deadline) WHERE status = 'PENDING';
DROP INDEX ix_agent_request_deadline;
CREATE INDEX ix_agent_request_deadline ON agent_request (deadline) WHERE status = 'PENDING';
