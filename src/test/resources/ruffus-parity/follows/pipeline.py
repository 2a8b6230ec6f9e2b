# Pins: @follows only orders tasks: when the followed task reruns, the follower's jobs are still
# checked on their own files, and an up-to-date @originate follower does not rerun.
from ruffus import follows, originate, suffix, transform

import ruffus_case as case


@transform("in.txt", suffix(".txt"), ".out")
def first(inputs, outputs):
    case.job(inputs, outputs)


@follows(first)
@originate(["flag.1"])
def later(outputs):
    case.job(None, outputs)


@transform(later, suffix(".1"), ".2")
def after_later(inputs, outputs):
    case.job(inputs, outputs)


case.run()
