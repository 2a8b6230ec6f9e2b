-- The shared log and the shared locks. Portable SQL (H2 2.x, PostgreSQL).

-- Every record of the shared log, in the order the control plane appended them. seq is the global
-- sequence number given by the appender (not an identity: a batch takes a contiguous range).
-- No foreign keys to run or job: a record outlives neither by design, and retention is separate.
create table log_record (
    seq                 bigint                   primary key,
    logged_at           timestamp with time zone not null,
    level               varchar(5)               not null,
    source              varchar(200)             not null,
    -- the writer's own sequence number; a record resent with the same (source, source_seq) is
    -- stored once
    source_seq          bigint,
    run_id              bigint,
    job_id              bigint,
    -- stdout or stderr for the lines of a shell job, null for everything else
    stream              varchar(6),
    message             varchar(1000000)         not null
);

create unique index log_record_source on log_record (source, source_seq);
create index log_record_run on log_record (run_id, seq);
create index log_record_job on log_record (job_id, seq);

-- Fencing tokens must rise across restarts of the control plane, whose lock table lives in
-- memory: every start takes the next epoch, and a token is (epoch, grant number) in one long.
create table lock_epoch (
    id                  integer                  primary key,
    epoch               bigint                   not null
);

insert into lock_epoch (id, epoch) values (1, 0);
