# Pins: @originate makes one job per output entry with no inputs, passes its extras to every job,
# and is up to date once its outputs exist, even when they are touched later (its downstream reruns).
from ruffus import originate, suffix, transform

import ruffus_case as case


@originate(["a.1", "b.1"], "x")
def start(outputs, extra):
    case.job(None, outputs, extra)


@transform(start, suffix(".1"), ".2")
def next(inputs, outputs):
    case.job(inputs, outputs)


case.run()
