"""The faces of crmsim that managers and instructors use without writing code.

========== ======================================================================================
cli        the ``crmsim`` command line: the parser and ``main`` (exit 2 with one line on bad input)
commands   ``simulate``, ``compare``, ``sweep``, ``scenario new`` and ``demo``'s printing
demo       the main job: every method on the bundled company and the structure study, one page
analyze    ``crmsim analyze``: the methods on a user's own file, one page
calibrate  ``crmsim calibrate``: a transaction export to a calibrated scenario and its report
template   the commented scenario template of ``crmsim scenario new``
========== ======================================================================================

The what-if machinery itself lives below: the options and their runs in :mod:`crmsim.sim.whatif`
and :mod:`crmsim.sim.sensitivity`, the pages in :mod:`crmsim.report.manager` and
:mod:`crmsim.report.sensitivity`; they are re-exported here.

The same in Python::

    from crmsim.app import build_options, run_whatif, write_report
    options = build_options(["today.toml", "proposal.toml"], sets={"months": 24})
    whatif = run_whatif(options, replications=10, seed=1)
    print(whatif.recommendation("en").text())
    write_report(whatif, "report", lang="zh")

and :func:`sensitivity` with :func:`write_sensitivity_report` for what moves the answer.
"""

import importlib

#: Re-exported names, loaded on first use (PEP 562) so ``crmsim --help`` stays fast.
_LAZY: dict[str, str] = {
    "scenario_template": "crmsim.app.template",
    "write_report": "crmsim.report.manager",
    "write_sensitivity_report": "crmsim.report.sensitivity",
    "Sensitivity": "crmsim.sim.sensitivity",
    "sensitivity": "crmsim.sim.sensitivity",
    "WhatIf": "crmsim.sim.whatif",
    "build_options": "crmsim.sim.whatif",
    "option_label": "crmsim.sim.whatif",
    "run_whatif": "crmsim.sim.whatif",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crmsim.app' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
