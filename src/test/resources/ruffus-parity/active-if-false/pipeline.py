# Pins: @active_if(False) leaves the task out and it hands on no outputs: the @merge below it
# still runs, on the other task's outputs only, and no .2 file is made.
from ruffus import active_if, merge, originate, suffix, transform

import ruffus_case as case


@originate(["a.1", "b.1"])
def start(outputs):
    case.job(None, outputs)


@active_if(False)
@transform(start, suffix(".1"), ".2")
def off(inputs, outputs):
    case.job(inputs, outputs)


@transform(start, suffix(".1"), ".3")
def on(inputs, outputs):
    case.job(inputs, outputs)


@merge([off, on], "total.txt")
def total(inputs, outputs):
    case.job(inputs, outputs)


case.run()
