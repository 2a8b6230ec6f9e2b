-- Versioned pipeline definitions and the job history planning reads.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL.

-- One row per pipeline name. Every new version updates it under an optimistic lock
-- (where name = ? and version = ?), so two concurrent posts never get the same number.
create table pipeline (
    name            varchar(200)             not null primary key,
    latest_version  integer                  not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    version         bigint                   not null
);

-- Each version as posted (source) and in canonical form (canonical_json, what runs use).
-- The digest is of the canonical form; a definition posted back unchanged is not a new version.
create table pipeline_version (
    pipeline_name   varchar(200)             not null references pipeline (name) on delete cascade,
    version         integer                  not null,
    digest          varchar(100)             not null,
    format          varchar(16)              not null,
    source          text                     not null,
    canonical_json  text                     not null,
    created_at      timestamp with time zone not null,
    primary key (pipeline_name, version)
);

-- Not unique: a pipeline may return to an earlier definition (A, B, A), which is version 3.
create index pipeline_version_digest on pipeline_version (pipeline_name, digest);

-- Ruffus's .ruffus_history: the last completed job that wrote each output. A job that was
-- interrupted or failed has its outputs' rows removed when it starts, so it has no record.
create table output_record (
    pipeline_name   varchar(200)             not null references pipeline (name) on delete cascade,
    path            varchar(1024)            not null,
    action_digest   varchar(100)             not null,
    params_digest   varchar(100)             not null,
    modified_nanos  bigint                   not null,
    completed_at    timestamp with time zone not null,
    primary key (pipeline_name, path)
);
