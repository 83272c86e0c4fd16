"""The faces of crmsim that managers and instructors use without writing code.

Command-line subcommands, what-if option building, and the rendering of the reports a manager takes
into a meeting. Nothing in ``methods/``, ``sim/``, ``plots/`` or ``datasets/`` imports from here.
"""
