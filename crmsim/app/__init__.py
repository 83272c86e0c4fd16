"""The faces of crmsim that managers and instructors use without writing code.

Command-line subcommands, what-if option building, and the rendering of the reports a manager takes
into a meeting. Nothing in ``methods/``, ``sim/``, ``plots/`` or ``datasets/`` imports from here.

The same in Python::

    from crmsim.app import build_options, run_whatif, write_report
    options = build_options(["today.toml", "proposal.toml"], sets={"months": 24})
    whatif = run_whatif(options, replications=10, seed=1)
    print(whatif.recommendation("en").text())
    write_report(whatif, "report", lang="zh")

and :func:`sensitivity` with :func:`write_sensitivity_report` for what moves the answer.
"""

from crmsim.app.manager_report import write_report, write_sensitivity_report
from crmsim.app.sensitivity import Sensitivity, sensitivity
from crmsim.app.template import scenario_template
from crmsim.app.whatif import WhatIf, build_options, option_label, run_whatif

__all__ = [
    "Sensitivity", "WhatIf", "build_options", "option_label", "run_whatif", "scenario_template",
    "sensitivity", "write_report", "write_sensitivity_report",
]  # fmt: skip
