# Pins: @parallel makes one job per parameter list, with no files, and has no up-to-date check:
# its jobs run again on every run.
from ruffus import parallel

import ruffus_case as case


@parallel([["job1", "a", "b"], ["job2", "c", "d"]])
def fanout(name, first, second):
    case.params_only(name, first, second)


case.run()
