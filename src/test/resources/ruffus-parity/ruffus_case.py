"""Shared by the Ruffus parity cases (RuffusParityTests): each job records itself and makes its outputs.

A job appends one JSON line to jobs.jsonl:
    {"task": <the job function's name>, "inputs": [sorted, flattened], "outputs": [flattened],
     "extras": [flattened, as text]}
Ruffus's formatter() works on absolute paths, so absolute names under the working folder are
written relative to it, as Pipewright writes every name.

Fan-out rule (split and subdivide): a job makes FAN_OUT files from each output glob by replacing
its first "*" with 1, 2, 3. The Java side applies the same rule to the globs in its plan.
"""
import json
import os
import sys

from ruffus import pipeline_run

FAN_OUT = 3


def flatten(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [leaf for part in value for leaf in flatten(part)]
    return [value]


def _relative(name):
    if isinstance(name, str) and os.path.isabs(name):
        return os.path.relpath(name)
    return name


def _touch(name):
    folder = os.path.dirname(name)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(name, "a"):
        pass
    os.utime(name)


def _record(task, inputs, outputs, extras):
    line = {
        "task": task,
        "inputs": sorted(_relative(f) for f in flatten(inputs)),
        "outputs": [_relative(f) for f in outputs],
        "extras": [str(_relative(e)) for e in flatten(list(extras))],
    }
    with open("jobs.jsonl", "a") as jobs:
        jobs.write(json.dumps(line) + "\n")


def job(inputs, outputs, *extras):
    """An ordinary job: makes every output file, then records itself."""
    made = [_relative(f) for f in flatten(outputs)]
    for name in made:
        _touch(name)
    _record(sys._getframe(1).f_code.co_name, inputs, made, extras)


def fan_out(inputs, globs, *extras):
    """A split or subdivide job: Ruffus passes the files the globs matched before the job ran, so
    the job names its globs itself; it makes FAN_OUT files per glob and records those."""
    made = []
    for pattern in flatten(globs):
        pattern = _relative(pattern)
        if "*" in pattern:
            made += [pattern.replace("*", str(n), 1) for n in range(1, FAN_OUT + 1)]
        else:
            made.append(pattern)
    for name in made:
        _touch(name)
    _record(sys._getframe(1).f_code.co_name, inputs, made, extras)


def params_only(*params):
    """A @parallel job: no files, its parameters are its extras."""
    _record(sys._getframe(1).f_code.co_name, [], [], params)


def run():
    pipeline_run(verbose=0, multiprocess=1, one_second_per_job=False)
