"""The team a structure puts on the accounts: positions covered by people.

The team's parameters (working time, ramp-up) are in :mod:`crmsim.sim.scenario.team`.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Reorganisation:
    """What moving from today's organisation to an option's costs at the start (CNY), and who
    starts untrained.

    Attributes
    ----------
    training : float
        Training the whole team for a structure it does not work in yet (textbook §7: the
        dedicated post "needs long training up front").
    hiring : float
        Recruiting the positions the option adds (``turnover.hiring_cost`` each).
    severance : float
        Economic compensation for dedicated posts the option ends (``team.severance_months``
        of pay each; Labour Contract Law of the PRC, art. 47).
    team_ramps : bool
        The whole initial team ramps up from ``team.ramp_start`` (a new structure, or a team
        not yet trained).
    newcomers : int
        Positions filled by new hires, who ramp up even when the rest of the team does not.
    """

    training: float = 0.0
    hiring: float = 0.0
    severance: float = 0.0
    team_ramps: bool = False
    newcomers: int = 0

    @property
    def cost(self) -> float:
        """Everything charged in month 1."""
        return self.training + self.hiring + self.severance


def reorganisation(scenario, positions: int, people: int, mean_pay: float) -> Reorganisation:
    """The reorganisation an option asks for, against today's organisation
    (``company.current_structure`` and ``company.current_positions``).

    *positions* are the option's account positions (the book's managers), *people* the people
    doing account work (two per position under extended roles), *mean_pay* their mean
    monthly cost. Account work moving from people with other jobs (extended roles, or no
    system yet) to dedicated staff hires every position; dedicated posts ended by a move to
    extended roles are paid severance; between dedicated structures only the change in
    positions is hired or let go.

    Examples
    --------
    >>> from crmsim.sim.scenario import Scenario
    >>> today = Scenario()                      # a dedicated post today, 15 positions
    >>> reorganisation(today, 15, 15, 12_000.0).cost
    0.0
    >>> r = reorganisation(today.replace(structure="dedicated_department"), 15, 15, 12_000.0)
    >>> r.training, r.team_ramps
    (180000.0, True)
    >>> reorganisation(today.replace(structure="extended_roles"), 15, 30, 12_000.0).severance
    540000.0
    """
    st, company, team = scenario.structure, scenario.company, scenario.team
    today = company.current_structure
    current = company.current_positions or positions
    moves = today != st.name
    ramps = moves or not team.trained_at_start
    dedicated_now = today not in ("none", "extended_roles")
    dedicated_next = st.name != "extended_roles"
    hires = let_go = 0
    if dedicated_next and not dedicated_now:
        hires = positions
    elif dedicated_now and not dedicated_next:
        let_go = current
    elif dedicated_next:
        hires, let_go = max(positions - current, 0), max(current - positions, 0)
    return Reorganisation(
        training=float(st.training_cost) * people if ramps else 0.0,
        hiring=hires * float(scenario.turnover.hiring_cost),
        severance=let_go * float(team.severance_months) * mean_pay,
        team_ramps=ramps,
        newcomers=hires,
    )
