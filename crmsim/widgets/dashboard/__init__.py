"""The manager's dashboard (管理者看板): compare ways to organise account management, in a browser.

:func:`dashboard` builds a :class:`Dashboard`, an :class:`~crmsim.widgets.App` with explicit
widgets wired by ``observe()``. A manager

1. picks the account-manager structures (客户经理制) to compare, the allocation rule (客户分配机制),
   the incentive scheme (commission at signing or pay deferred on satisfaction), the CRM adoption,
   the team size, and how many replications and months to simulate;
2. optionally uploads a customer file (CSV or Excel, Chinese headers and GBK understood through
   :func:`crmsim.read_table`); the reading report is shown, or a clear message when the file
   cannot be used. Without a file the classroom company (300 synthetic customers) is simulated;
3. presses *Run*: every chosen structure is simulated on common random numbers
   (:func:`crmsim.sim.whatif.run_whatif`) while a progress bar counts the runs;
4. reads the recommendation (:func:`crmsim.sim.decision.recommend`), the KPIs with 95% confidence
   intervals, the paired differences against the baseline and a chart over time with bands;
5. downloads the manager's report (:func:`crmsim.report.manager.write_report`): the page
   alone (one self-contained HTML file, charts inside it), or a ZIP with the page and the CSV
   tables its links point to (``tables/*.csv``). Both are offered as links with the file inside
   them (``data:`` addresses), so they work in Voilà without a server route.

A language toggle redraws everything in English or Chinese (中文) without simulating again.

Start it in a browser with one command, from the repository root::

    voila notebooks/dashboard.ipynb

The dashboard in three parts: ``customer_file`` (reading an uploaded customer file into a book),
``results`` (running the comparison and what is shown and downloaded) and ``app`` (the widgets,
their layout and what happens on a click).
"""

from crmsim.widgets.dashboard.app import Dashboard, dashboard
from crmsim.widgets.dashboard.customer_file import CustomerFile, read_customer_file
from crmsim.widgets.dashboard.options import CLASSROOM_CUSTOMERS, dashboard_options
from crmsim.widgets.dashboard.results import SHOWN_KPIS, DashboardResult

__all__ = [
    "CLASSROOM_CUSTOMERS", "SHOWN_KPIS", "CustomerFile", "Dashboard", "DashboardResult",
    "dashboard", "dashboard_options", "read_customer_file",
]  # fmt: skip
