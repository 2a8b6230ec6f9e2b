# Pins: add_inputs() appends its names (substituted like extras: "\1" is the name without the suffix)
# to each job's inputs, and a newer added input reruns the job.
from ruffus import add_inputs, regex, suffix, transform

import ruffus_case as case


@transform(["a.txt", "b.txt"], suffix(".txt"), add_inputs(r"\1.idx", "common.dat"), ".out")
def indexed(inputs, outputs):
    case.job(inputs, outputs)


@transform(indexed, regex(r"(\w+)\.out"), add_inputs(r"\1.idx"), r"\1.final")
def regexed(inputs, outputs):
    case.job(inputs, outputs)


case.run()
