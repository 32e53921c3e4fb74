-- Flowguard core schema: the tables of the design's durable execution model.
-- One history for H2 and PostgreSQL: only types and syntax both accept are used here.
-- Vendor-only SQL (e.g. PostgreSQL partial indexes) lives in db/vendor/<vendor>/.

-- One row per flow execution. `version` backs JPA @Version (optimistic locking);
-- lease_owner/lease_expires_at fence the worker that may commit the next step.
CREATE TABLE flow_execution (
    id               UUID                     NOT NULL,
    flow             VARCHAR(100)             NOT NULL,
    flow_version     INTEGER                  NOT NULL,
    owner            VARCHAR(255)             NOT NULL,
    status           VARCHAR(20)              NOT NULL,
    state            VARCHAR(1048576)         NOT NULL,
    -- engine bookkeeping as JSON of one fixed shape: queued steps, fired triggers, attempt
    progress         VARCHAR(16000)           NOT NULL,
    -- per-execution event counter (execution_event.seq), advanced under the version fence
    last_event_seq   INTEGER                  NOT NULL,
    version          BIGINT                   NOT NULL,
    lease_owner      VARCHAR(100),
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    next_run_at      TIMESTAMP WITH TIME ZONE,
    error_type       VARCHAR(100),
    error            VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_flow_execution PRIMARY KEY (id),
    CONSTRAINT ck_flow_execution_status CHECK (status IN
        ('PENDING', 'RUNNING', 'WAITING_AGENT', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')),
    CONSTRAINT ck_flow_execution_version CHECK (version >= 0)
);
-- "my executions, by status, newest first"
CREATE INDEX ix_flow_execution_owner_status ON flow_execution (owner, status, created_at);
-- the claim query: runnable rows by due time
CREATE INDEX ix_flow_execution_runnable ON flow_execution (status, next_run_at);
-- reclaiming expired leases
CREATE INDEX ix_flow_execution_lease ON flow_execution (lease_expires_at);
-- retention sweeps finished rows by age
CREATE INDEX ix_flow_execution_finished ON flow_execution (finished_at);

-- Append-only history: every transition, step start/finish, route, ask, answer, timeout, retry, cancel.
-- seq orders events within one execution and is the id a resumable event stream hands out.
CREATE SEQUENCE execution_event_id_seq START WITH 1 INCREMENT BY 50;
CREATE TABLE execution_event (
    id           BIGINT                   NOT NULL,
    execution_id UUID                     NOT NULL,
    seq          INTEGER                  NOT NULL,
    event_type   VARCHAR(40)              NOT NULL,
    step         VARCHAR(100),
    step_run_id  VARCHAR(120),
    actor        VARCHAR(255),
    detail       VARCHAR(8000),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_execution_event PRIMARY KEY (id),
    CONSTRAINT uq_execution_event_seq UNIQUE (execution_id, seq),
    CONSTRAINT fk_execution_event_execution FOREIGN KEY (execution_id)
        REFERENCES flow_execution (id) ON DELETE CASCADE
);

-- A question parked for an agent role, with its deadline; the row (not a timer) is what fires.
CREATE TABLE agent_request (
    id           UUID                     NOT NULL,
    execution_id UUID                     NOT NULL,
    agent_role   VARCHAR(64)              NOT NULL,
    step         VARCHAR(100)             NOT NULL,
    question     VARCHAR(2000)            NOT NULL,
    payload      VARCHAR(65536),
    deadline     TIMESTAMP WITH TIME ZONE NOT NULL,
    status       VARCHAR(20)              NOT NULL,
    answer       VARCHAR(65536),
    answered_by  VARCHAR(255),
    answered_at  TIMESTAMP WITH TIME ZONE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT                   NOT NULL,
    CONSTRAINT pk_agent_request PRIMARY KEY (id),
    CONSTRAINT ck_agent_request_status CHECK (status IN ('PENDING', 'ANSWERED', 'TIMED_OUT', 'CANCELLED')),
    CONSTRAINT fk_agent_request_execution FOREIGN KEY (execution_id)
        REFERENCES flow_execution (id) ON DELETE CASCADE
);
-- an agent role's inbox
CREATE INDEX ix_agent_request_inbox ON agent_request (agent_role, status, deadline);
-- the deadline sweeper
CREATE INDEX ix_agent_request_deadline ON agent_request (status, deadline);
CREATE INDEX ix_agent_request_execution ON agent_request (execution_id);

-- Idempotent starts: a key is scoped to its owner; the body hash tells a replay from a conflict.
CREATE TABLE idempotency_key (
    owner        VARCHAR(255)             NOT NULL,
    idem_key     VARCHAR(255)             NOT NULL,
    request_hash VARCHAR(64)              NOT NULL,
    execution_id UUID                     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_idempotency_key PRIMARY KEY (owner, idem_key),
    CONSTRAINT fk_idempotency_key_execution FOREIGN KEY (execution_id)
        REFERENCES flow_execution (id) ON DELETE CASCADE
);
CREATE INDEX ix_idempotency_key_expires ON idempotency_key (expires_at);

-- Active executions per owner, kept by conditional UPDATE so that a cap holds under races.
CREATE TABLE owner_quota (
    owner        VARCHAR(255)             NOT NULL,
    active_count INTEGER                  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_owner_quota PRIMARY KEY (owner),
    CONSTRAINT ck_owner_quota_active CHECK (active_count >= 0)
);
