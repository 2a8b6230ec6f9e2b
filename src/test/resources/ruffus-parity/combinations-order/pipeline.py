# Pins: a task hands on its outputs sorted by str() of each job's output (Ruffus's
# _get_output_files), not in job order, so @combinations pairs "a" before "c" although @originate
# named c.1 first; a job with several outputs is a list, and "['b.1', 'b.2']" sorts before "a.1".
from ruffus import formatter, originate
from ruffus.combinatorics import combinations, combinations_with_replacement

import ruffus_case as case


@originate(["c.1", "a.1", ["b.1", "b.2"]])
def start(outputs):
    case.job(None, outputs)


@combinations(start, formatter(), 2, "{basename[0][0]}+{basename[1][0]}.c")
def comb(inputs, outputs):
    case.job(inputs, outputs)


@combinations_with_replacement(start, formatter(), 2, "{basename[0][0]}={basename[1][0]}.r")
def combr(inputs, outputs):
    case.job(inputs, outputs)


case.run()
