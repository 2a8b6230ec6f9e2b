-- The shared log is kept in blocks of records instead of a row per record. A row per record cost
-- the one appender thread a table entry and three index entries per line, and bounded the log at
-- about 38,000 lines a second; a block of up to 500 records costs that once.
--
-- A block holds records that follow each other in the log from one writer with the same run and
-- job, at most 500 numbers apart (LogBlocks.MAX_SPAN: queries look back that far for the block
-- that holds a number). Its columns are what readers filter blocks by; the records themselves are
-- in body, one a line, written and read by LogBlocks:
--   <seq - first_seq> <epoch microseconds> <level letter><stream letter> <source_seq or -> <message>
-- where the message has its backslashes doubled and its newlines written as \n.
create table log_block (
    first_seq           bigint                   primary key,
    last_seq            bigint                   not null,
    -- the oldest and newest times of its records: retention looks at the oldest
    oldest_at           timestamp with time zone not null,
    newest_at           timestamp with time zone not null,
    -- the highest level among its records (0 DEBUG .. 3 ERROR): a level filter skips whole blocks
    max_level           smallint                 not null,
    source              varchar(200)             not null,
    min_source_seq      bigint,
    max_source_seq      bigint,
    run_id              bigint,
    job_id              bigint,
    -- room for one message of the longest allowed (900,000 characters) with every one escaped
    body                varchar(2000000)         not null
);

create index log_block_source on log_block (source, max_source_seq);
create index log_block_run on log_block (run_id, first_seq);
create index log_block_job on log_block (job_id, first_seq);
create index log_block_oldest on log_block (oldest_at);

-- What a log_record held becomes a block of one record each.
insert into log_block (first_seq, last_seq, oldest_at, newest_at, max_level, source,
                       min_source_seq, max_source_seq, run_id, job_id, body)
select seq, seq, logged_at, logged_at,
       case level when 'DEBUG' then 0 when 'INFO' then 1 when 'WARN' then 2 else 3 end,
       source, source_seq, source_seq, run_id, job_id,
       '0 ' || cast(cast(extract(epoch from logged_at) * 1000000 as bigint) as varchar) || ' '
           || case level when 'DEBUG' then 'D' when 'INFO' then 'I' when 'WARN' then 'W' else 'E' end
           || case stream when 'stdout' then 'o' when 'stderr' then 'e' else '-' end || ' '
           || coalesce(cast(source_seq as varchar), '-') || ' '
           || replace(replace(message, '\', '\\'), chr(10), '\n') || chr(10)
from log_record;

drop table log_record;
