# Pins: inputs([...]) (a single argument) replaces each job's inputs with its names (the matched file itself is no longer an
# input), so touching the original input reruns nothing, but touching a replacement does.
from ruffus import formatter, inputs, suffix, transform

import ruffus_case as case


@transform(["a.txt", "b.txt"], suffix(".txt"), inputs([r"\1.idx", "common.dat"]), ".out")
def replaced(input_files, outputs):
    case.job(input_files, outputs)


@transform(replaced, formatter(), inputs("{basename[0]}.idx"), "{basename[0]}.final")
def formatted(input_files, outputs):
    case.job(input_files, outputs)


case.run()
