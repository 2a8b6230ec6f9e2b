# Pins: regex() is searched in the first file name, inputs it does not match are left out, \1 and
# \g<name> work in outputs and extras; a pattern that matches part of a name replaces only that part
# (re.sub): "s.1.out" with r"\.(\d)\." -> r"-\1-" gives "s-1-out".
from ruffus import regex, transform

import ruffus_case as case


@transform(["s_1.fq", "s_2.fq", "t_10.fq", "notes.txt"], regex(r"(?P<sample>\w)_(\d+)\.fq"),
           r"\g<sample>.\2.out", r"\1", r"lane \2", "plain")
def renamed(inputs, outputs, *extras):
    case.job(inputs, outputs, *extras)


@transform(renamed, regex(r"\.(\d)\."), r"-\1-")
def searched(inputs, outputs):
    case.job(inputs, outputs)


case.run()
