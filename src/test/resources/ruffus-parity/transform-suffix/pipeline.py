# Pins: suffix() drops inputs that do not end with it; in outputs the text replaces the suffix
# (".count"), in extras it replaces the whole name (".x" stays ".x", "\1" is the name without the
# suffix); output_dir moves the outputs into another folder.
from ruffus import suffix, transform

import ruffus_case as case


@transform(["a.txt", "b.txt", "c.csv"], suffix(".txt"), ".count", r"\1", ".x")
def count(inputs, outputs, *extras):
    case.job(inputs, outputs, *extras)


@transform(count, suffix(".count"), [".sum", r"\1.log"], output_dir="out")
def moved(inputs, outputs):
    case.job(inputs, outputs)


case.run()
