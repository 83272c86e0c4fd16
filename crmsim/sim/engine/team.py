"""The team a structure puts on the accounts: positions covered by people.

The team's parameters (working time, ramp-up) are in :mod:`crmsim.sim.scenario.team`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cover_positions(
    customers: pd.DataFrame, managers: pd.DataFrame, people: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cover each account position with *people* part-time people (extended roles, 扩大工作范围).

    Position ``M01`` becomes ``M01`` and ``M01-2`` ...: the same tier, specialty, industry focus
    and monthly cost; skills mirrored around the team mean so the team's mean and spread are
    kept; the position's customers dealt out among its people in turn.

    Examples
    --------
    >>> m = pd.DataFrame({"manager_id": ["M1", "M2"], "skill": [0.8, 0.6], "monthly_cost": [1, 1]})
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "c"], "manager_id": ["M1", "M1", "M2"]})
    >>> c2, m2 = cover_positions(c, m, 2)
    >>> m2["manager_id"].tolist(), m2["skill"].round(2).tolist()
    (['M1', 'M1-2', 'M2', 'M2-2'], [0.8, 0.6, 0.6, 0.8])
    >>> c2["manager_id"].tolist()
    ['M1', 'M1-2', 'M2']
    """
    if people <= 1 or managers.empty:
        return customers, managers
    mean = float(managers["skill"].mean())
    rows = []
    for row in managers.to_dict("records"):
        for j in range(people):
            person = dict(row)
            if j:
                person["manager_id"] = f"{row['manager_id']}-{j + 1}"
                if j % 2:
                    person["skill"] = float(np.clip(2 * mean - row["skill"], 0.05, 1.0))
            rows.append(person)
    staff = pd.DataFrame(rows, columns=managers.columns)
    turn = customers.groupby("manager_id", sort=False).cumcount().to_numpy() % people
    suffix = np.where(turn == 0, "", "-" + (turn + 1).astype(str))
    customers = customers.assign(manager_id=customers["manager_id"].astype(str) + suffix)
    return customers, staff
