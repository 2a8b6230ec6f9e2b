-- What the SLURM launcher and resource routing need to know of a worker. Portable SQL (H2 2.x,
-- PostgreSQL): one column per statement.

-- The SLURM job a worker runs as (slurm launcher only): shown by the API and the dashboard, so that
-- an operator finds it in squeue, and cancelled with scancel when the service stops.
alter table worker add column slurm_job_id varchar(64);

-- The cores and memory (MiB) a worker offered when it registered; null before it registered, or
-- when it did not say. The scheduler gives it only jobs whose task asks for no more.
alter table worker add column cpus integer;
alter table worker add column memory_mb bigint;
