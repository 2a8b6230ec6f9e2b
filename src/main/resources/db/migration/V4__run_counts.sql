-- A finished run's jobs per task and state, written in the step that ends it: a run of 100,000
-- jobs is then shown without a GROUP BY over its jobs on every request. Null while the run is not
-- over, for runs that ended before this column existed, and after jobs were cancelled late
-- (RunRepository.cancelWaiting); the counts are then computed from the jobs.
alter table run add column counts_json text;
