# Pins: @files with a single job hands on each of its output files as its own item (Ruffus's
# _is_single_job_single_output), so the @transform below makes one job per file, not one for both.
from ruffus import files, suffix, transform

import ruffus_case as case


@files("in.txt", ["e.1", "f.1"])
def one(inputs, outputs):
    case.job(inputs, outputs)


@transform(one, suffix(".1"), ".2")
def each(inputs, outputs):
    case.job(inputs, outputs)


case.run()
