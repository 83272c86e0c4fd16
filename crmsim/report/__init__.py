"""Every page the kit writes, and the builder they share.

============== ===============================================================================
page           :class:`Report`, the self-contained HTML page builder (headings, prose, tables
               for people, charts embedded as SVG, the CSV behind them), table formatting
               for people and for the terminal, and the output-folder check
simulation     the sections a simulation study adds to a page (the demo's structure study,
               ``crmsim simulate``)
manager        the manager's report of a what-if comparison (``crmsim compare``)
sensitivity    the sensitivity page (``crmsim sweep``): what moves the answer, the tornado
calibration    the calibration report (``crmsim calibrate``): estimates, fit, back-test
============== ===============================================================================

Pages read results (tables of :mod:`crmsim.sim`, :mod:`crmsim.calibrate`, :mod:`crmsim.methods`)
and the charts of :mod:`crmsim.plots`; they never run the model. The demo's and ``crmsim
analyze``'s pages are assembled by their commands in :mod:`crmsim.app`.
"""

from crmsim.plots.figure import new_figure
from crmsim.report.page import (
    Report,
    ReportOutput,
    check_output_folder,
    column_label,
    format_table,
    report_language,
    text_table,
)

__all__ = [
    "Report", "ReportOutput", "check_output_folder", "column_label", "format_table",
    "new_figure", "report_language", "text_table",
]  # fmt: skip
