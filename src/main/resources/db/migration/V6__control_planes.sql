-- More than one control plane on one database (the postgres profile). Portable SQL (H2 2.x,
-- PostgreSQL). V5 is left to the SLURM launcher's worker columns.

-- Each control-plane process while it runs: it renews seen_at every second. One whose seen_at is
-- older than the takeover delay is dead: the first peer to set stopped_at (under its version)
-- takes its runs. A process that finds its own stopped_at set has lost them and stops.
create table control_plane (
    id                  varchar(64)              primary key,
    -- where its workers call it (host:port); a process that restarts at the same address is its
    -- own successor and takes back its runs and workers at once
    address             varchar(300)             not null,
    started_at          timestamp with time zone not null,
    seen_at             timestamp with time zone not null,
    stopped_at          timestamp with time zone,
    stopped_by          varchar(64),
    version             bigint                   not null
);

-- The control plane that schedules the run; null for runs that ended before this column existed.
alter table run add column owner varchar(64);

create index run_owner on run (owner, state);

-- The shared log's last sequence number. Every append takes its range here, under this row's lock
-- and in the transaction that stores the records, so that two control planes never give one
-- number twice and records become visible in the order of their numbers.
create table log_counter (
    id                  integer                  primary key,
    last_seq            bigint                   not null
);

insert into log_counter (id, last_seq) select 1, coalesce(max(seq), 0) from log_record;
