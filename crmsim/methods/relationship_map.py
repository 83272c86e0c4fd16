"""The customer relationship map (客户关系图): from a team's customers to its evaluation dimensions.

A relationship map draws a (service) team, all of its customers — external ones (外部客户, e.g.
retail stores, manufacturers) and internal ones (内部客户, e.g. management, the finance
department) — and the products and services each of them needs from the team. It is used to
derive the team's performance evaluation dimensions in four steps, which :class:`RelationshipMap`
follows method by method:

1. **Identify the customers**, internal and external — :meth:`RelationshipMap.add_customer`.
2. **List what each customer needs** from the team (brainstorming or Delphi) —
   :meth:`RelationshipMap.add_need`.
3. **Filter** from the organisation's point of view: keep the needs that create value for the
   organisation's strategy, drop the rest — :meth:`RelationshipMap.filter` /
   :meth:`RelationshipMap.mark`. A need starts *undecided* (``valuable=None``).
4. **Rename** the kept needs as results rather than activities ("answer price questions" →
   "price information accuracy"); these are the evaluation dimensions —
   :meth:`RelationshipMap.rename` and :meth:`RelationshipMap.dimensions`.

JSON format (read by :meth:`RelationshipMap.load`, written by :meth:`RelationshipMap.save`)::

    {"team": "Office-supplies sales team",
     "organisation_goal": "Grow profitable repeat business",
     "customers": [
        {"id": "retail", "name": "Retail stores", "kind": "external",
         "needs": [{"item": "timely supply", "valuable": true, "dimension": "on-time delivery"},
                   {"item": "answering questions", "valuable": false, "dimension": null}]}]}

``valuable`` is true (kept), false (dropped) or null (not decided yet); ``dimension`` is the
result name of a kept need, null while it is not renamed and always null for a need that is not
kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from crmsim.errors import DataError, ParameterError
from crmsim.io.writing import write_text

__all__ = ["KINDS", "RelationshipMap"]

#: Kinds of customer a team serves.
KINDS: tuple[str, ...] = ("external", "internal")

_TOP_KEYS = {"team", "organisation_goal", "customers"}
_CUSTOMER_KEYS = {"id", "name", "kind", "needs"}
_NEED_KEYS = {"item", "valuable", "dimension"}


@dataclass
class _Need:
    item: str
    valuable: bool | None = None
    dimension: str | None = None


@dataclass
class _Customer:
    id: str
    name: str
    kind: str
    needs: list[_Need] = field(default_factory=list)


def _text(value: Any, what: str, *, where: str = "") -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}{what} must be a non-empty string; got {value!r}")
    return value


class RelationshipMap:
    """A team, its internal and external customers and what each needs from the team.

    Parameters
    ----------
    team : str
        Name of the team at the centre of the map.
    organisation_goal : str
        The strategy the filter in step 3 serves (free text, shown in plots and tables).

    Notes
    -----
    Customer ids must be unique; a customer's need items must be unique for that customer (the
    same item may be needed by several customers). Methods that change the map return the map,
    so calls can be chained. Structural problems (unknown kind, duplicate id, need for an unknown
    customer) raise :class:`~crmsim.errors.DataError`; an argument that names nothing on the map
    (e.g. an item to rename that no one needs) raises :class:`~crmsim.errors.ParameterError`.

    Examples
    --------
    >>> m = RelationshipMap("Sales team", "profitable growth")
    >>> _ = m.add_customer("store", "Retail store", "external").add_need("store", "timely supply")
    >>> _ = m.add_customer("fin", "Finance department", "internal").add_need("fin", "sales data")
    >>> _ = m.filter({"timely supply"}).rename({"timely supply": "on-time delivery rate"})
    >>> m.dimensions()[["dimension", "n_external", "n_internal"]].values.tolist()
    [['on-time delivery rate', 1, 0]]
    """

    def __init__(self, team: str = "team", organisation_goal: str = "") -> None:
        self.team = _text(team, "team")
        if not isinstance(organisation_goal, str):
            raise DataError(f"organisation_goal must be a string; got {organisation_goal!r}")
        self.organisation_goal = organisation_goal
        self._customers: dict[str, _Customer] = {}

    # ------------------------------------------------------------------ step 1: customers

    def add_customer(self, id: str, name: str, kind: str) -> RelationshipMap:
        """Step 1: add a customer of the team; ``kind`` is "external" or "internal"."""
        _text(id, "customer id")
        where = f"customer {id!r}: "
        _text(name, "name", where=where)
        if kind not in KINDS:
            raise DataError(f"{where}kind must be one of {list(KINDS)}; got {kind!r}")
        if id in self._customers:
            raise DataError(f"{where}duplicate customer id; each customer id must be unique")
        self._customers[id] = _Customer(id=id, name=name, kind=kind)
        return self

    # ------------------------------------------------------------------ step 2: needs

    def add_need(
        self,
        customer_id: str,
        item: str,
        *,
        valuable: bool | None = None,
        dimension: str | None = None,
    ) -> RelationshipMap:
        """Step 2: record a product or service ``item`` the customer needs from the team.

        ``valuable`` and ``dimension`` are normally set later (steps 3 and 4) but may be given
        here, e.g. when rebuilding a finished map.
        """
        customer = self._customer(customer_id, error=DataError)
        where = f"customer {customer_id!r}: "
        _text(item, "need item", where=where)
        if any(n.item == item for n in customer.needs):
            raise DataError(f"{where}need {item!r} is listed twice")
        need = _Need(item=item)
        _set_valuable(need, valuable, where=f"{where}need {item!r}: ")
        _set_dimension(need, dimension, where=f"{where}need {item!r}: ")
        customer.needs.append(need)
        return self

    # ------------------------------------------------------------------ step 3: filter

    def mark(self, customer_id: str, item: str, valuable: bool | None) -> RelationshipMap:
        """Step 3 for one need: keep it (True), drop it (False) or reset it to undecided (None).

        Dropping or resetting a need clears its dimension.
        """
        need = self._need(customer_id, item)
        _set_valuable(need, valuable, where=f"customer {customer_id!r}: need {item!r}: ",
                      error=ParameterError)
        return self

    def filter(
        self,
        valuable: Mapping[tuple[str, str], bool] | Callable[[str, str], bool] | Iterable[str],
    ) -> RelationshipMap:
        """Step 3: decide which needs create value for the organisation's strategy.

        Parameters
        ----------
        valuable : dict, callable or set of items
            - a **set (or list) of items**: every need whose item is in it is kept, every other
              need is dropped; an item no customer needs is an error (catches typos);
            - a **callable** ``f(customer_id, item) -> bool``: called for every need;
            - a **dict** ``{(customer_id, item): bool}``: only the listed needs are decided,
              the others keep their current decision; a pair not on the map is an error.

        Dropped needs lose their dimension.
        """
        where = "parameter 'valuable'"
        if isinstance(valuable, Mapping):
            decisions = dict(valuable)
            for key, value in decisions.items():
                if not (isinstance(key, tuple) and len(key) == 2):
                    raise ParameterError(
                        f"{where}: dict keys must be (customer_id, item) pairs; got {key!r}"
                    )
                self._need(*key)
                if not isinstance(value, bool):
                    raise ParameterError(
                        f"{where}: decision for {key!r} must be True or False; got {value!r}"
                    )
            for (cid, item), value in decisions.items():
                _set_valuable(self._need(cid, item), value, where="")
        elif callable(valuable):
            for customer in self._customers.values():
                for need in customer.needs:
                    decision = valuable(customer.id, need.item)
                    if not isinstance(decision, bool):
                        raise ParameterError(
                            f"{where}: the function returned {decision!r} for "
                            f"({customer.id!r}, {need.item!r}); it must return True or False"
                        )
                    _set_valuable(need, decision, where="")
        elif isinstance(valuable, Iterable) and not isinstance(valuable, (str, bytes)):
            keep = set(valuable)
            known = {n.item for c in self._customers.values() for n in c.needs}
            unknown = sorted(map(str, keep - known))
            if unknown:
                raise ParameterError(
                    f"{where}: item(s) {unknown} are not needed by any customer; "
                    f"known items: {sorted(known)}"
                )
            for customer in self._customers.values():
                for need in customer.needs:
                    _set_valuable(need, need.item in keep, where="")
        else:
            raise ParameterError(
                f"{where} must be a set of items, a function (customer_id, item) -> bool or a "
                f"dict {{(customer_id, item): bool}}; got {type(valuable).__name__}"
            )
        return self

    # ------------------------------------------------------------------ step 4: rename

    def rename(self, mapping: Mapping[str, str]) -> RelationshipMap:
        """Step 4: rename kept items as results (evaluation dimensions).

        ``mapping`` maps an item to its dimension name; every kept need with that item (whichever
        customer needs it) gets the dimension. Several items may map to one dimension. Renaming an
        item no customer needs, or one that is not kept, is an error.
        """
        if not isinstance(mapping, Mapping):
            raise ParameterError(
                f"parameter 'mapping' must be a dict item -> dimension; got "
                f"{type(mapping).__name__}"
            )
        for item, dimension in mapping.items():
            _text(dimension, f"dimension for item {item!r}")
            needs = [n for c in self._customers.values() for n in c.needs if n.item == item]
            if not needs:
                raise ParameterError(
                    f"parameter 'mapping': item {item!r} is not needed by any customer"
                )
            kept = [n for n in needs if n.valuable is True]
            if not kept:
                raise ParameterError(
                    f"parameter 'mapping': item {item!r} is not kept (step 3); only kept items "
                    "become evaluation dimensions"
                )
        for item, dimension in mapping.items():
            for customer in self._customers.values():
                for need in customer.needs:
                    if need.item == item and need.valuable is True:
                        need.dimension = dimension
        return self

    def dimensions(self, *, strict: bool = False) -> pd.DataFrame:
        """The team's evaluation dimensions: one row per dimension, from the kept needs only.

        A kept need that has not been renamed yet appears under its own item text with
        ``renamed=False`` (so an unfinished step 4 is visible); with ``strict=True`` it raises
        :class:`~crmsim.errors.DataError` listing those needs instead. Dropped and undecided needs
        are left out.

        Returns
        -------
        DataFrame
            Columns ``dimension``, ``items`` (tuple of source items), ``customers`` (tuple of
            customer ids served), ``n_customers``, ``n_external``, ``n_internal``, ``renamed``
            (bool). Rows in the order dimensions first appear on the map.
        """
        unnamed = [
            (c.id, n.item)
            for c in self._customers.values()
            for n in c.needs
            if n.valuable is True and n.dimension is None
        ]
        if strict and unnamed:
            raise DataError(
                f"kept needs not renamed yet (step 4): {unnamed}; call rename() for their items"
            )
        rows: dict[tuple[str, bool], dict[str, Any]] = {}
        for c in self._customers.values():
            for n in c.needs:
                if n.valuable is not True:
                    continue
                renamed = n.dimension is not None
                name = n.dimension if renamed else n.item
                row = rows.setdefault(
                    (name, renamed),
                    {"dimension": name, "items": [], "customers": [], "renamed": renamed},
                )
                if n.item not in row["items"]:
                    row["items"].append(n.item)
                if c.id not in row["customers"]:
                    row["customers"].append(c.id)
        records = []
        for row in rows.values():
            kinds = [self._customers[cid].kind for cid in row["customers"]]
            records.append(
                {
                    "dimension": row["dimension"],
                    "items": tuple(row["items"]),
                    "customers": tuple(row["customers"]),
                    "n_customers": len(row["customers"]),
                    "n_external": kinds.count("external"),
                    "n_internal": kinds.count("internal"),
                    "renamed": row["renamed"],
                }
            )
        columns = ["dimension", "items", "customers", "n_customers", "n_external",
                   "n_internal", "renamed"]
        table = pd.DataFrame(records, columns=columns)
        return table.astype(
            {"n_customers": "int64", "n_external": "int64", "n_internal": "int64",
             "renamed": "bool"}
        )

    # ------------------------------------------------------------------ views

    @property
    def customer_ids(self) -> list[str]:
        """Customer ids in the order they were added."""
        return list(self._customers)

    def customers_table(self) -> pd.DataFrame:
        """One row per customer: ``customer_id``, ``customer_name``, ``kind``, ``n_needs``,
        ``n_kept``, ``n_dropped``, ``n_undecided``."""
        records = [
            {
                "customer_id": c.id,
                "customer_name": c.name,
                "kind": c.kind,
                "n_needs": len(c.needs),
                "n_kept": sum(n.valuable is True for n in c.needs),
                "n_dropped": sum(n.valuable is False for n in c.needs),
                "n_undecided": sum(n.valuable is None for n in c.needs),
            }
            for c in self._customers.values()
        ]
        columns = ["customer_id", "customer_name", "kind", "n_needs", "n_kept", "n_dropped",
                   "n_undecided"]
        return pd.DataFrame(records, columns=columns)

    def needs_table(self) -> pd.DataFrame:
        """Tidy table of every need: one row per (customer, item).

        Returns
        -------
        DataFrame
            Columns ``customer_id``, ``customer_name``, ``kind``, ``item``, ``valuable``
            (nullable boolean: True kept, False dropped, <NA> undecided) and ``dimension``
            (missing when not renamed or not kept).
        """
        records = [
            {
                "customer_id": c.id,
                "customer_name": c.name,
                "kind": c.kind,
                "item": n.item,
                "valuable": n.valuable,
                "dimension": n.dimension,
            }
            for c in self._customers.values()
            for n in c.needs
        ]
        columns = ["customer_id", "customer_name", "kind", "item", "valuable", "dimension"]
        table = pd.DataFrame(records, columns=columns)
        table["valuable"] = pd.array(table["valuable"].tolist(), dtype="boolean")
        for col in ("customer_id", "customer_name", "kind", "item", "dimension"):
            table[col] = table[col].astype("str")
        return table

    # ------------------------------------------------------------------ conversions

    def to_dict(self) -> dict[str, Any]:
        """The map as plain Python data in the JSON format of the module docstring."""
        return {
            "team": self.team,
            "organisation_goal": self.organisation_goal,
            "customers": [
                {
                    "id": c.id,
                    "name": c.name,
                    "kind": c.kind,
                    "needs": [
                        {"item": n.item, "valuable": n.valuable, "dimension": n.dimension}
                        for n in c.needs
                    ],
                }
                for c in self._customers.values()
            ],
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "relationship map"
    ) -> RelationshipMap:
        """Build a map from the JSON-format dict, validating every field.

        Raises :class:`~crmsim.errors.DataError` naming the field (and the customer) for a
        missing or unknown key, a value of the wrong type, an unknown kind, a duplicate customer
        id or need, or a dimension on a need that is not kept.
        """
        where = f"{source}: "
        if not isinstance(data, Mapping):
            raise DataError(f"{where}expected a JSON object at the top; got {type(data).__name__}")
        _check_keys(data, required={"team", "customers"}, allowed=_TOP_KEYS, where=where)
        goal = data.get("organisation_goal", "")
        if goal is None:
            goal = ""
        try:
            rmap = cls(data["team"], goal)
        except DataError as err:
            raise DataError(f"{where}{err}") from None
        customers = data["customers"]
        if not isinstance(customers, list):
            raise DataError(f"{where}'customers' must be a list; got {type(customers).__name__}")
        for i, c in enumerate(customers):
            cwhere = f"{where}customers[{i}]"
            if not isinstance(c, Mapping):
                raise DataError(f"{cwhere} must be an object; got {type(c).__name__}")
            if "id" in c:
                cwhere += f" (id {c['id']!r})"
            _check_keys(c, required={"id", "name", "kind"}, allowed=_CUSTOMER_KEYS,
                        where=cwhere + ": ")
            try:
                rmap.add_customer(c["id"], c["name"], c["kind"])
            except DataError as err:
                raise DataError(f"{where}{err}") from None
            needs = c.get("needs", [])
            if not isinstance(needs, list):
                raise DataError(f"{cwhere}: 'needs' must be a list; got {type(needs).__name__}")
            for j, n in enumerate(needs):
                nwhere = f"{cwhere}: needs[{j}]"
                if not isinstance(n, Mapping):
                    raise DataError(f"{nwhere} must be an object; got {type(n).__name__}")
                _check_keys(n, required={"item"}, allowed=_NEED_KEYS, where=nwhere + ": ")
                try:
                    rmap.add_need(
                        c["id"], n["item"], valuable=n.get("valuable"),
                        dimension=n.get("dimension"),
                    )
                except DataError as err:
                    raise DataError(f"{where}{err}") from None
        return rmap

    @classmethod
    def load(cls, path: str | PathLike[str]) -> RelationshipMap:
        """Read a map from a UTF-8 JSON file (format in the module docstring), validating it."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataError(f"{p}: file not found") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise DataError(f"{p.name}: not valid JSON ({err})") from None
        return cls.from_dict(data, source=p.name)

    def save(self, path: str | PathLike[str]) -> Path:
        """Write the map as UTF-8 JSON (Chinese text kept readable); returns the path."""
        p = Path(path)
        write_text(p, json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return p

    def to_networkx(self) -> nx.DiGraph:
        """The map as a directed graph: team → customer → need.

        Nodes are ``"team"``, ``("customer", id)`` and ``("need", id, item)``. Every node has
        ``role`` ("team", "customer" or "need") and ``label``; customers also carry ``kind`` and
        ``name``; needs carry ``customer_id``, ``item``, ``valuable`` and ``dimension``.
        """
        g = nx.DiGraph(team=self.team, organisation_goal=self.organisation_goal)
        g.add_node("team", role="team", label=self.team)
        for c in self._customers.values():
            cnode = ("customer", c.id)
            g.add_node(cnode, role="customer", label=c.name, name=c.name, kind=c.kind)
            g.add_edge("team", cnode)
            for n in c.needs:
                nnode = ("need", c.id, n.item)
                g.add_node(
                    nnode, role="need", label=n.dimension or n.item, customer_id=c.id,
                    item=n.item, valuable=n.valuable, dimension=n.dimension,
                )
                g.add_edge(cnode, nnode)
        return g

    # ------------------------------------------------------------------ helpers

    def _customer(
        self, customer_id: str, *, error: type[Exception] = ParameterError
    ) -> _Customer:
        try:
            return self._customers[customer_id]
        except (KeyError, TypeError):
            raise error(
                f"customer {customer_id!r} is not on the map; add it first with add_customer(); "
                f"known customers: {list(self._customers)}"
            ) from None

    def _need(self, customer_id: str, item: str) -> _Need:
        customer = self._customer(customer_id)
        for need in customer.needs:
            if need.item == item:
                return need
        raise ParameterError(
            f"customer {customer_id!r} has no need {item!r}; its needs: "
            f"{[n.item for n in customer.needs]}"
        )

    def __len__(self) -> int:
        return len(self._customers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RelationshipMap):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        n_needs = sum(len(c.needs) for c in self._customers.values())
        return (
            f"RelationshipMap(team={self.team!r}, customers={len(self._customers)}, "
            f"needs={n_needs})"
        )


def _set_valuable(
    need: _Need, valuable: Any, *, where: str, error: type[Exception] = DataError
) -> None:
    if valuable is not None and not isinstance(valuable, bool):
        raise error(f"{where}'valuable' must be true, false or null; got {valuable!r}")
    need.valuable = valuable
    if valuable is not True:
        need.dimension = None


def _set_dimension(need: _Need, dimension: Any, *, where: str) -> None:
    if dimension is None:
        return
    _text(dimension, "'dimension'", where=where)
    if need.valuable is not True:
        raise DataError(
            f"{where}'dimension' {dimension!r} is given but the need is not kept "
            f"(valuable={need.valuable!r}); only kept needs are renamed"
        )
    need.dimension = dimension


def _check_keys(obj: Mapping[str, Any], *, required: set[str], allowed: set[str],
                where: str) -> None:
    missing = sorted(required - set(obj))
    if missing:
        raise DataError(f"{where}missing field(s) {missing}")
    unknown = sorted(map(str, set(obj) - allowed))
    if unknown:
        raise DataError(f"{where}unknown field(s) {unknown}; allowed: {sorted(allowed)}")
