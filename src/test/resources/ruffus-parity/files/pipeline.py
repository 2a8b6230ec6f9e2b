# Pins: @files with a list of jobs makes one job per entry (input None, a file or a list; extras
# after the output), and each job's outputs are one item downstream: suffix() looks at its first file.
from ruffus import files, suffix, transform

import ruffus_case as case


@files([[None, "c.1"], ["in.txt", ["d.1", "d.2"], 7, "seven"], [["in.txt", "other.txt"], "e.1"]])
def explicit(inputs, outputs, *extras):
    case.job(inputs, outputs, *extras)


@transform(explicit, suffix(".1"), ".3")
def after(inputs, outputs):
    case.job(inputs, outputs)


case.run()
