# Pins: @collate groups by outputs AND extras (groupby on both): extras that differ within one
# output (\2 here) split the group, so Ruffus runs two jobs that both write a.all.
from ruffus import collate, regex

import ruffus_case as case


@collate("*.x", regex(r"(\w+)\.(\d+)\.x"), r"\1.all", r"\2")
def grouped(inputs, outputs, extra):
    case.job(inputs, outputs, extra)


case.run()
