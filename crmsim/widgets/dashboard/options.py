"""The scenarios the dashboard compares: one per structure, everything else shared.

The company is the classroom company (a synthetic book), a scenario file the manager loaded, or
either of them with the customers of an uploaded file; the company profile (business lines,
need complexity, special expertise, confidentiality) and the team's settings come from the
dashboard's controls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.book import deal_by_seniority, synthetic_book
from crmsim.terms import STRUCTURES
from crmsim.widgets.dashboard.customer_file import BOOK_SEED, _t

__all__ = ["CLASSROOM_CUSTOMERS", "COMPANY_FIELDS", "dashboard_options", "own_team"]

#: Customers of the classroom company simulated when no file is uploaded.
CLASSROOM_CUSTOMERS = 300

#: The company profile a manager sets in the page: control name → scenario parameter.
COMPANY_FIELDS: dict[str, str] = {
    "business_lines": "company.business_lines",
    "need_complexity": "company.need_complexity",
    "expertise_share": "company.expertise_share",
    "confidential_share": "company.confidential_share",
}


def own_team(assignments: pd.Series) -> pd.DataFrame:
    """The team of an uploaded file: one account manager per id the file names, in the order
    they first appear, with the attributes of a synthetic team of that size (about a quarter
    senior, 40% regular, the rest junior; :func:`crmsim.sim.scenario.book.synthetic_book`)
    given to the managers with the largest books first.

    Examples
    --------
    >>> team = own_team(pd.Series(["王伟", "李娜", "王伟", "王伟"]))
    >>> team["manager_id"].tolist(), team["tier"].tolist()
    (['王伟', '李娜'], ['senior', 'regular'])
    """
    ids = list(dict.fromkeys(assignments.astype(str)))
    _, team = synthetic_book(0, len(ids), seed=BOOK_SEED)
    order = assignments.astype(str).value_counts().reindex(ids).sort_values(
        ascending=False, kind="stable").index  # fmt: skip
    team = team.sort_values("tier", key=lambda t: t.map({"senior": 0, "regular": 1,
                                                          "junior": 2}),
                            kind="stable").reset_index(drop=True)  # fmt: skip
    team["manager_id"] = list(order)
    return team.set_index("manager_id").loc[ids].reset_index()


def dashboard_options(
    structures: Sequence[str],
    allocation: str = "by_seniority",
    incentives: str = "commission",
    crm_adoption: float = 0.3,
    team_size: int = 10,
    months: int = 12,
    *,
    customers: pd.DataFrame | None = None,
    assignments: pd.Series | None = None,
    base: Scenario | None = None,
    company: Mapping[str, Any] | None = None,
) -> dict[str, Scenario]:
    """The scenarios the dashboard compares: one per structure, everything else shared.

    Parameters
    ----------
    structures : sequence of str
        Structures of :data:`crmsim.terms.STRUCTURES`; the first is the baseline.
    allocation, incentives : str
        An allocation rule of :data:`crmsim.terms.RULES` and a scheme of
        :data:`crmsim.terms.SCHEMES`.
    crm_adoption : float
        CRM adoption, 0 to 1.
    team_size : int
        Account managers of a synthetic team (about a quarter senior, 40% regular, the rest
        junior, as in :func:`crmsim.sim.scenario.book.synthetic_book`); ignored when
        *assignments* give the file's own team.
    months : int
        Horizon.
    customers : DataFrame, optional
        Customers of an uploaded file (:attr:`CustomerFile.customers`): with *assignments*, each
        keeps its own account manager and the team is the file's (:func:`own_team`); without,
        they are dealt to the team by :func:`crmsim.sim.scenario.book.deal_by_seniority`.
        Default: the company of *base*, else the classroom company
        (:data:`CLASSROOM_CUSTOMERS` synthetic customers).
    assignments : Series, optional
        The file's account manager of each customer (:attr:`CustomerFile.assignments`).
    base : Scenario, optional
        A scenario file the manager loaded: its parameters are kept except those the
        dashboard sets (structure, rule, scheme, adoption, horizon, company profile, team).
    company : mapping, optional
        The company profile: keys of :data:`COMPANY_FIELDS`.

    Returns
    -------
    dict of str to Scenario
        Keyed by structure name, in the order given.

    Examples
    --------
    >>> options = dashboard_options(["extended_roles", "dedicated_post"], crm_adoption=0.8,
    ...                             team_size=6, months=6, company={"business_lines": 3})
    >>> list(options), options["dedicated_post"].crm.adoption, options["extended_roles"].months
    (['extended_roles', 'dedicated_post'], 0.8, 6)
    >>> options["dedicated_post"].company.business_lines
    3
    """
    structures = list(dict.fromkeys(structures))
    if not structures:
        raise ParameterError(_t("need_structure"))
    unknown = [s for s in structures if s not in STRUCTURES]
    if unknown:
        raise ParameterError(
            f"parameter 'structures' must hold names from {list(STRUCTURES)}; got {unknown}"
        )
    team_size = int(check_number("team_size", team_size, minimum=1, integer=True))
    months = int(check_number("months", months, minimum=1, integer=True))
    changes: dict[str, Any] = {
        "allocation.rule": allocation,
        "incentives.scheme": incentives,
        "crm.adoption": crm_adoption,
        "months": months,
    }
    for name, value in (company or {}).items():
        if name not in COMPANY_FIELDS:
            raise ParameterError(f"parameter 'company': unknown field {name!r}; known: "
                                 f"{', '.join(COMPANY_FIELDS)}")  # fmt: skip
        changes[COMPANY_FIELDS[name]] = value
    if customers is not None:
        if assignments is not None:
            team = own_team(assignments)
            dealt = customers.assign(manager_id=assignments.astype(str).to_numpy())
        else:
            _, team = synthetic_book(0, team_size, seed=BOOK_SEED)
            dealt = customers.assign(manager_id=deal_by_seniority(customers["annual_wallet"],
                                                                  team))  # fmt: skip
        changes["book"] = {"source": "tables", "customers": dealt, "managers": team,
                           "seed": BOOK_SEED}  # fmt: skip
    if base is None:
        n = CLASSROOM_CUSTOMERS if customers is None else len(customers)
        start = Scenario.synthetic(max(n, 1), team_size)
        if customers is None:
            changes["book.seed"] = BOOK_SEED
    else:
        start = base
        if customers is None and base.book.source == "synthetic":
            changes["book.n_managers"] = team_size
    scenario = start.with_(changes)
    return {s: scenario.with_({"structure": s, "name": s}) for s in structures}
