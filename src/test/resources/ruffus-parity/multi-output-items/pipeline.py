# Pins: a job's outputs travel on as one item (a list of files): suffix() and regex() look only at
# its first file, the whole list is the next job's input, and a suffix that only the second file has
# (.2) matches nothing. Touching the second file of an item still reruns the job that reads it.
from ruffus import originate, regex, suffix, transform

import ruffus_case as case


@originate([["a.1", "a.2"], ["b.1", "b.2"]])
def pairs(outputs):
    case.job(None, outputs)


@transform(pairs, suffix(".1"), [".3", ".4"])
def from_first(inputs, outputs):
    case.job(inputs, outputs)


@transform(pairs, suffix(".2"), ".5")
def from_second(inputs, outputs):
    case.job(inputs, outputs)


@transform(from_first, regex(r"(\w)\.3"), r"\1.6")
def chained(inputs, outputs):
    case.job(inputs, outputs)


case.run()
