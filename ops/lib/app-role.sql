-- What the application's own role (emergency) may do in a database whose schema the owner role set up:
-- read everything, and write documents, streams, progress and messages; append events but never update, delete or
-- truncate them; no DDL (it owns nothing and holds no CREATE). Run by the owner or a superuser after every schema change
-- (ops/lib/common.sh does, after `resources setup`); safe to run twice.
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO emergency', current_database()); END $$;
GRANT USAGE ON SCHEMA emergency TO emergency;
REVOKE CREATE ON SCHEMA emergency FROM emergency;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA emergency TO emergency;
REVOKE UPDATE, DELETE, TRUNCATE ON emergency.mt_events FROM emergency;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA emergency TO emergency;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA emergency TO emergency;
