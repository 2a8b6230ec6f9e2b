# Pins: @merge makes one job from every input (task outputs flattened, plus plain files) and
# hands each of its outputs on as its own item, so the @transform below has one job per output.
from ruffus import merge, originate, regex, transform

import ruffus_case as case


@originate(["a.1", ["b.1", "b.2"], "c.1"])
def start(outputs):
    case.job(None, outputs)


@merge([start, "extra.dat"], ["total.txt", "total.log"], "sum")
def total(inputs, outputs, extra):
    case.job(inputs, outputs, extra)


@transform(total, regex(r"(.+)"), r"\1.copy")
def per_output(inputs, outputs):
    case.job(inputs, outputs)


case.run()
