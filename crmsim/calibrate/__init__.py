"""Calibration: a scenario estimated from a company's own transaction history, with a fit report.

:func:`calibrate` reads a transaction list (and optionally the customers and managers tables) and
returns a :class:`Calibration`: the scenario, the estimates with their intervals, the back-test
and the notes. ``crmsim calibrate`` (:mod:`crmsim.app.calibrate`) is its command and
:mod:`crmsim.report.calibration` its page.

========== ==================================================================================
history    the user's tables checked and cleaned; every customer's month-by-month record and
           inferred lifecycle stage
estimate   :func:`calibrate`: what is estimated and how (transition rates, purchase levels,
           order frequency, margin, a pilot run for acquisition and service)
book       the calibrated scenario's book: customers active at ``as_of`` and their managers
backtest   the calibrated model simulated over the history and compared with it
alive      :func:`probability_alive`, a buy-till-you-die cross-check
result     :class:`Calibration` and the constants (transition parameters, fit thresholds)
========== ==================================================================================
"""

from crmsim.calibrate.alive import probability_alive
from crmsim.calibrate.estimate import calibrate
from crmsim.calibrate.result import FIT_MEASURES, TRANSITION_PARAMETERS, Calibration
from crmsim.terms.notes import LabelledNote

__all__ = [
    "FIT_MEASURES", "TRANSITION_PARAMETERS", "Calibration", "LabelledNote", "calibrate",
    "probability_alive",
]  # fmt: skip
