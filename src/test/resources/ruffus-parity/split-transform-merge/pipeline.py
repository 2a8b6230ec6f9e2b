# Pins: @split outputs are a glob resolved after the job ran, each matching file becomes one item of
# the next @transform, and @merge takes all of them; a newer split input reruns everything below it.
# Fan-out rule: the split makes chunk.1.txt, chunk.2.txt, chunk.3.txt.
from ruffus import files, merge, split, suffix, transform

import ruffus_case as case


@files(None, "a.1")
def task1(inputs, outputs):
    case.job(inputs, outputs)


@split(task1, "chunk.*.txt")
def split_up(inputs, outputs):
    case.fan_out(inputs, "chunk.*.txt")


@transform(split_up, suffix(".txt"), ".count")
def count(inputs, outputs):
    case.job(inputs, outputs)


@merge(count, "total.txt")
def total(inputs, outputs):
    case.job(inputs, outputs)


case.run()
