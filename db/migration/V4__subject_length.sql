-- Subjects (a token's sub) are stored whole up to 1,024 characters: every column that holds one
-- widens from 255. Longer subjects, or ones over 2,048 bytes of UTF-8 (a PostgreSQL index entry
-- holds at most 2,704 bytes, and idempotency_key's primary key adds a 255-character key), are
-- refused at authentication (TokenShape), so no insert can fail on length.
-- ALTER TABLE ... ALTER COLUMN ... SET DATA TYPE is the spelling H2 and PostgreSQL share.
ALTER TABLE flow_execution ALTER COLUMN owner SET DATA TYPE VARCHAR(1024);
ALTER TABLE idempotency_key ALTER COLUMN owner SET DATA TYPE VARCHAR(1024);
ALTER TABLE owner_quota ALTER COLUMN owner SET DATA TYPE VARCHAR(1024);
ALTER TABLE agent_request ALTER COLUMN answered_by SET DATA TYPE VARCHAR(1024);
ALTER TABLE execution_event ALTER COLUMN actor SET DATA TYPE VARCHAR(1024);
