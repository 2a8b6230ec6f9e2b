# Pins: a glob input expands, sorted, to the files present when the task is planned (notes.md and
# files in subfolders do not match "*.txt"), and each match is one item.
from ruffus import merge, suffix, transform

import ruffus_case as case


@transform("*.txt", suffix(".txt"), ".out")
def each(inputs, outputs):
    case.job(inputs, outputs)


@merge(["*.txt", "sub/*.txt"], "all.lst")
def all_inputs(inputs, outputs):
    case.job(inputs, outputs)


case.run()
