# Pins: @collate groups the inputs whose substituted outputs are equal into one job (a.1.x and
# a.2.x make a.all), leaves out names the regex does not match, and a newer member reruns its group.
from ruffus import collate, regex, suffix, transform

import ruffus_case as case


@collate("*.x", regex(r"(\w+)\.\d+\.x"), [r"\1.all", r"\1.log"], r"\1")
def grouped(inputs, outputs, extra):
    case.job(inputs, outputs, extra)


@transform(grouped, suffix(".all"), ".done")
def after(inputs, outputs):
    case.job(inputs, outputs)


case.run()
