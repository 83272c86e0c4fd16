"""The scenario: one complete, validated description of an organisational choice to simulate.

:class:`Scenario` (in :mod:`~crmsim.sim.scenario.scenario`) holds one section per part of the
model; each section is a module here that declares its parameters (unit, default, meaning, valid
range) and checks them, and nothing else happens in it. What the model *does* with a section lives
in the module of the same name in :mod:`crmsim.sim.engine` (``scenario/funnel.py`` says what the
funnel's parameters are; ``engine/funnel.py`` walks leads through it).

============== ===============================================================================
params         the machinery every section shares: documented fields, checks, dict round trip
book           the initial book: customers and account managers (bundled, a CSV, synthetic)
company        the company profile the textbook reasons with (lines, needs, expertise...)
structures     the four account-manager structures and what each costs
allocation     the rule that gives customers to managers
team           working time, ramp-up, positions
funnel         prospecting channels and the nine development steps
lifecycle      the relationship lifecycle's monthly moves, orders and wallets
service        service requests, maintenance, complaints and praise
credit         the 6C check before an agreement, bad debt
incentives     commission or deferred pay
crm            CRM adoption
turnover       managers leaving, the star leaving
value          the discount rate of customer value (customer equity, value created)
season         month-of-year factors on purchases (off by default)
toml           scenario files (TOML text ↔ nested dicts)
overrides      ``--set key=value`` and ``--vary key=v1,v2`` parsed into typed values
============== ===============================================================================
"""

from crmsim.sim.scenario.scenario import Scenario

__all__ = ["Scenario"]
