-- Strata's Supabase preamble ([scratch] preamble = "supabase").
--
-- Makes a plain PostgreSQL 15 database look like a fresh Supabase project to the migrations
-- verify runs on it: the API roles, the auth and storage schemas with the tables and functions
-- migrations reference, the extensions schema, the realtime publication and Supabase's grants.
-- Only the shape migrations depend on is copied, not Supabase's services.
--
-- Rules this script keeps:
-- * It runs on many scratch databases of one cluster, concurrently too. Roles are the only
--   cluster-wide objects: each is created in a block that tolerates duplicate_object (it already
--   existed) and unique_violation (another database's preamble created it in the same instant).
-- * It may run twice on one database: every statement is guarded (IF NOT EXISTS, OR REPLACE, or a
--   catalog check) and every grant is idempotent.
-- * Its own objects use core functions only (gen_random_uuid is core since PostgreSQL 13), never
--   an extension reached through search_path.

-- Roles --------------------------------------------------------------------------------------

DO $preamble$
DECLARE
    role_name text;
BEGIN
    -- Supabase's API roles, the role PostgREST logs in as, and the roles a `supabase db dump`
    -- names in OWNER TO and GRANT lines. NOLOGIN: a scratch database is never served.
    FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'authenticator', 'postgres', 'supabase_admin',
                                'supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;

    IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'service_role') THEN
        BEGIN
            -- service_role bypasses row-level security in Supabase; only a superuser may grant
            -- BYPASSRLS, so a scratch server reached with a lesser role gets it without.
            BEGIN
                CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
            EXCEPTION WHEN insufficient_privilege THEN
                CREATE ROLE service_role NOLOGIN NOINHERIT;
            END;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;

    FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
        IF NOT pg_has_role('authenticator', role_name, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO authenticator', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$preamble$;

-- Schemas and extensions ---------------------------------------------------------------------

CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;
CREATE SCHEMA IF NOT EXISTS graphql_public;
CREATE SCHEMA IF NOT EXISTS realtime;

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;

-- Supabase sessions have extensions on their search_path, so migrations written for it call
-- uuid_generate_v4() or crypt() unqualified. New sessions of this database get the same path.
DO $preamble$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET search_path TO "$user", public, extensions', current_database());
END
$preamble$;

-- auth ---------------------------------------------------------------------------------------

-- The columns of GoTrue's table that migrations, triggers and seeds reference. The id default is
-- not Supabase's (GoTrue supplies ids); it lets seed files insert users with fewer columns.
CREATE TABLE IF NOT EXISTS auth.users (
    instance_id uuid,
    id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    phone text UNIQUE DEFAULT NULL,
    phone_confirmed_at timestamptz,
    phone_change text DEFAULT '',
    phone_change_token varchar(255) DEFAULT '',
    phone_change_sent_at timestamptz,
    confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
    email_change_token_current varchar(255) DEFAULT '',
    email_change_confirm_status smallint DEFAULT 0,
    banned_until timestamptz,
    reauthentication_token varchar(255) DEFAULT '',
    reauthentication_sent_at timestamptz,
    is_sso_user boolean NOT NULL DEFAULT false,
    deleted_at timestamptz,
    is_anonymous boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
CREATE INDEX IF NOT EXISTS users_instance_id_idx ON auth.users (instance_id);

-- As GoTrue defines them: PostgREST puts the JWT's claims in request.jwt.claims (JSON); older
-- versions set one request.jwt.claim.* setting per claim, so both are read.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $preamble$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$preamble$;

CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $preamble$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$preamble$;

CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $preamble$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim.email', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
$preamble$;

CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $preamble$
    SELECT coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$preamble$;

-- storage ------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS storage.buckets (
    id text NOT NULL PRIMARY KEY,
    name text NOT NULL,
    owner uuid,
    owner_id text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    public boolean DEFAULT false,
    avif_autodetection boolean DEFAULT false,
    file_size_limit bigint,
    allowed_mime_types text[]
);
CREATE UNIQUE INDEX IF NOT EXISTS bname ON storage.buckets (name);

CREATE TABLE IF NOT EXISTS storage.objects (
    id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    bucket_id text REFERENCES storage.buckets (id),
    name text,
    owner uuid,
    owner_id text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    last_accessed_at timestamptz DEFAULT now(),
    metadata jsonb,
    path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
    version text,
    user_metadata jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS bucketid_objname ON storage.objects (bucket_id, name);
CREATE INDEX IF NOT EXISTS name_prefix_search ON storage.objects (name text_pattern_ops);

-- Supabase ships both tables with row-level security on and no policies: migrations add the
-- policies, and a policy-less table must stay closed to anon and authenticated here too.
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;

-- Storage policies are written with these, e.g. (storage.foldername(name))[1] = auth.uid()::text.
CREATE OR REPLACE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $preamble$
    SELECT (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1]
$preamble$;

CREATE OR REPLACE FUNCTION storage.filename(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $preamble$
    SELECT (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]
$preamble$;

CREATE OR REPLACE FUNCTION storage.extension(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $preamble$
    SELECT (string_to_array(storage.filename(name), '.'))[array_length(string_to_array(storage.filename(name), '.'), 1)]
$preamble$;

-- realtime -----------------------------------------------------------------------------------

-- Migrations enable realtime with ALTER PUBLICATION supabase_realtime ADD TABLE ...
DO $preamble$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = 'supabase_realtime') THEN
        CREATE PUBLICATION supabase_realtime;
    END IF;
END
$preamble$;

-- Grants, as a fresh Supabase project has them --------------------------------------------------

GRANT USAGE ON SCHEMA public, extensions, auth, storage, graphql_public TO anon, authenticated, service_role;
GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;
GRANT ALL ON auth.users TO service_role, supabase_auth_admin, dashboard_user;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt() TO anon, authenticated, service_role;

-- Tables, sequences and functions the migrations create in public are open to the API roles,
-- guarded by row-level security, as in Supabase (whose migrations run as postgres; here they run
-- as the role that runs this script).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
