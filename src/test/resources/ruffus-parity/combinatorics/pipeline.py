# Pins: @permutations, @combinations and @combinations_with_replacement (r=2) make one job per
# itertools tuple of input items (6, 3 and 6 jobs from 3 items), templates index the tuple
# position first, and touching one item reruns exactly the tuples that contain it.
from ruffus import formatter, originate
from ruffus.combinatorics import combinations, combinations_with_replacement, permutations

import ruffus_case as case


@originate(["a.1", "b.1", "c.1"])
def start(outputs):
    case.job(None, outputs)


@permutations(start, formatter(), 2, "{basename[0][0]}-{basename[1][0]}.p")
def perm(inputs, outputs):
    case.job(inputs, outputs)


@combinations(start, formatter(), 2, "{basename[0][0]}+{basename[1][0]}.c", "{basename[1][0]}")
def comb(inputs, outputs, extra):
    case.job(inputs, outputs, extra)


@combinations_with_replacement(start, formatter(), 2, "{basename[0][0]}={basename[1][0]}.r")
def combr(inputs, outputs):
    case.job(inputs, outputs)


case.run()
