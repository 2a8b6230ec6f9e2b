# Pins: formatter() splits each path into basename, ext, path, subdir (nearest folder first) and
# subpath, plus named groups; a pattern that does not match (b.txt) leaves the input out.
# Ruffus works on absolute paths: ruffus_case writes names under the working folder relative to it,
# and every template here stays inside the workdir ({subpath[0][1]} of data/x/a.fq is data, {subdir[0][0]} is x).
from ruffus import formatter, transform

import ruffus_case as case


@transform("data/*/*.fq", formatter(r"(?P<id>[a-z]+)\.fq$"), "{path[0]}/{basename[0]}.out",
           "{subdir[0][0]}", "{id[0]}{ext[0]}", "{subpath[0][1]}")
def beside(inputs, outputs, *extras):
    case.job(inputs, outputs, *extras)


@transform(beside, formatter(), "summary/{subdir[0][0]}_{basename[0]}.sum")
def gathered(inputs, outputs):
    case.job(inputs, outputs)


case.run()
