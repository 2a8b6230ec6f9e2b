# Pins: @subdivide makes one job per input with glob outputs substituted from the filter and known
# only after it ran; every file it made is one item downstream; touching one input reruns only
# that input's subdivision and what it feeds. Fan-out rule: a.dat -> a.1.part, a.2.part, a.3.part.
from ruffus import merge, originate, regex, subdivide, suffix, transform

import ruffus_case as case


@originate(["a.dat", "b.dat"])
def start(outputs):
    case.job(None, outputs)


@subdivide(start, regex(r"(.+)\.dat"), r"\1.*.part", r"\1")
def parts(inputs, outputs, stem):
    case.fan_out(inputs, stem + ".*.part", stem)


@transform(parts, suffix(".part"), ".done")
def each(inputs, outputs):
    case.job(inputs, outputs)


@merge(each, "all.txt")
def total(inputs, outputs):
    case.job(inputs, outputs)


case.run()
