# Pins: @product makes one job per pair of one item from each input set, in itertools.product
# order; each set has its own formatter(), a set member it does not match (z.2) is left out, and
# templates index the set first: {basename[1][0]} is the first file of the second set's item.
from ruffus import formatter, originate
from ruffus.combinatorics import product

import ruffus_case as case


@originate(["a.1", "b.1"])
def left(outputs):
    case.job(None, outputs)


@product(left, formatter(), "*.2", formatter(r"(?P<tag>[xy])\.2$"),
         "{basename[0][0]}_{basename[1][0]}.pair", "{tag[1][0]}", "{ext[0][0]}")
def pairs(inputs, outputs, *extras):
    case.job(inputs, outputs, *extras)


case.run()
