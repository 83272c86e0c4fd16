"""Machinery shared by every scenario section: documented fields, validation, dict round trip.

Each section of a :class:`~crmsim.sim.scenario.Scenario` is a frozen dataclass whose fields are
declared with :func:`param`, which records the unit and a one-line description. The
:func:`section` decorator then

- appends a numpydoc ``Parameters`` section (name, type, default, unit, description) to the class
  docstring, so every parameter is documented in one place only;
- runs ``_validate(prefix)`` from ``__post_init__``, where ``prefix`` is the section's path in a
  scenario (``"crm"``, ``"funnel.steps['contact']"``...), so error messages name the full
  parameter path, e.g. ``parameter "funnel.steps['contact'].pass_probability" must be <= 1``.

Numbers are normalised on construction (``1`` becomes ``1.0`` for a float parameter), so two
scenarios that mean the same thing serialise to the same text and share one hash.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from crmsim._validation import check_choice, check_number
from crmsim.errors import ParameterError
from crmsim.terms import (
    STAGES,  # noqa: F401  (re-exported for the sections)
    TERMS,
    VOCABULARIES,
    canonical,
)


def _join(prefix: str, name: str) -> str:
    """``prefix.name``, or just ``name`` at the root of a scenario."""
    return f"{prefix}.{name}" if prefix else name


class FrozenMap(dict):
    """A read-only, picklable mapping (used for per-stage or per-type parameter tables)."""

    def _blocked(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("scenario parameters are read-only; use Scenario.with_() to change them")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _blocked  # type: ignore[assignment]

    def __reduce__(self):  # noqa: D105 - pickling support
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # noqa: D105
        return hash(tuple(sorted(self.items())))


@dataclasses.dataclass(frozen=True)
class Plausible:
    """The plausible range of a teaching value: where a real firm's figure is likely to lie.

    Declared as data next to the parameter (``param(..., plausible=Plausible(...))``, in the
    manner of scikit-learn's ``_param_validation``), so the documentation, the plausibility
    guard (:mod:`crmsim.sim.plausibility`) and the sampling of the probabilistic sensitivity
    analysis (:mod:`crmsim.sim.uncertainty`) all read one declaration.

    Attributes
    ----------
    low, high : float
        The range; with ``relative`` they multiply the parameter's current value (a structure's
        preset differs by structure, so its range is "from 0.7 to 1.3 times the preset").
    relative : bool
        Read ``low``/``high`` as multipliers of the value.
    maximum : float or None
        A hard upper limit of the parameter (1 for a share), applied to a relative range.
    source : str
        Where the range comes from, in a few words.

    Examples
    --------
    >>> Plausible(0.5, 1.5, relative=True, maximum=1.0).bounds(0.8)
    (0.4, 1.0)
    >>> Plausible(0.06, 0.2).bounds(0.1)
    (0.06, 0.2)
    """

    low: float
    high: float
    relative: bool = False
    maximum: float | None = None
    source: str = ""

    def bounds(self, value: float) -> tuple[float, float]:
        """The range for a parameter whose current value is *value*."""
        if not self.relative:
            return (self.low, self.high)
        low, high = value * self.low, value * self.high
        if self.maximum is not None:
            low, high = min(low, self.maximum), min(high, self.maximum)
        return (low, high)

    def sample(self, u: float, value: float) -> float:
        """The value at uniform *u* (0-1) across the range (uniform sampling)."""
        low, high = self.bounds(value)
        return low + u * (high - low)

    def text(self) -> str:
        """The range in words, for the documentation."""
        if self.relative:
            return f"{self.low:g} to {self.high:g} times the value"
        return f"{self.low:g} to {self.high:g}"


def param(
    default: Any = dataclasses.MISSING,
    *,
    unit: str,
    doc: str,
    factory: Any = None,
    plausible: Plausible | None = None,
) -> Any:
    """Declare a documented scenario parameter (a dataclass field with unit and description);
    *plausible* declares the range a teaching value is likely to lie in (:class:`Plausible`)."""
    meta = {"unit": unit, "doc": doc}
    if plausible is not None:
        meta["plausible"] = plausible
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _default_text(f: dataclasses.Field) -> str:
    if f.default is not dataclasses.MISSING:
        value = f.default
    elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        value = f.default_factory()  # type: ignore[misc]
    else:
        return "required"
    if isinstance(value, Params):
        return "see class"
    if isinstance(value, tuple) and value and isinstance(value[0], Params):
        return "see class"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {v!r}" for k, v in value.items()) + "}"
    return repr(value)


def section(path: str) -> Any:
    """Class decorator: register the section path and document the fields in the docstring."""

    def wrap(cls: type) -> type:
        cls._section = path
        lines = ["", "Parameters", "----------"]
        for f in dataclasses.fields(cls):
            if "doc" not in f.metadata:
                continue
            type_name = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
            lines.append(f"{f.name} : {type_name}, default {_default_text(f)}")
            text = f"Unit: {f.metadata['unit']}. {f.metadata['doc']}"
            if "plausible" in f.metadata:
                rng = f.metadata["plausible"]
                text += f" Plausible range: {rng.text()}" + (
                    f" ({rng.source})." if rng.source else "."
                )
            lines.extend(textwrap.wrap(text, 92, initial_indent="    ", subsequent_indent="    "))
        doc = textwrap.dedent(cls.__doc__ or "").rstrip() + "\n" + "\n".join(lines) + "\n"
        cls.__doc__ = doc
        return cls

    return wrap


class Params:
    """Base class of the scenario sections (frozen dataclasses)."""

    _section: ClassVar[str] = ""
    #: fields holding a nested section: name -> class
    _nested: ClassVar[dict[str, type]] = {}
    #: fields holding a tuple of named sections (steps, channels): name -> item class
    _named_items: ClassVar[dict[str, type]] = {}
    #: fields holding a FrozenMap: name -> (allowed keys or None, value kind "number"/"prob")
    _maps: ClassVar[dict[str, tuple[tuple[str, ...] | None, str]]] = {}

    # ----------------------------------------------------------------- construction and checks

    def __post_init__(self) -> None:
        self._validate(self.path())

    def path(self) -> str:
        """The dotted path of this section inside a scenario (used in error messages)."""
        return self._section

    def _validate(self, prefix: str) -> None:  # pragma: no cover - every section overrides it
        pass

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _number(
        self,
        prefix: str,
        name: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        strict_minimum: bool = False,
        integer: bool = False,
    ) -> None:
        value = check_number(
            _join(prefix, name),
            getattr(self, name),
            minimum=minimum,
            maximum=maximum,
            strict_minimum=strict_minimum,
            integer=integer,
        )
        self._set(name, int(value) if integer else value)

    def _probability(self, prefix: str, name: str) -> None:
        self._number(prefix, name, minimum=0.0, maximum=1.0)

    def _choice(self, prefix: str, name: str, choices: Iterable[str]) -> None:
        check_choice(_join(prefix, name), getattr(self, name), list(choices))

    def _term(self, prefix: str, name: str, vocabulary: str) -> None:
        """Check a name from a vocabulary of :mod:`crmsim.terms` and store its identifier: the
        identifier, its English label or its Chinese term are accepted (``"扩大工作范围"`` →
        ``"extended_roles"``)."""
        value = getattr(self, name)
        self._set(name, term_identifier(_join(prefix, name), value, vocabulary))

    def _bool(self, prefix: str, name: str) -> None:
        value = getattr(self, name)
        if not isinstance(value, bool):
            raise ParameterError(
                f"parameter '{_join(prefix, name)}' must be true or false; got {value!r}"
            )

    def _map(self, prefix: str, name: str) -> None:
        """Check a table of numbers >= 0 (at most 1 for a "prob" map) and freeze it."""
        keys, kind = self._maps[name]
        maximum = 1.0 if kind == "prob" else None
        value = getattr(self, name)
        if not isinstance(value, Mapping):
            raise ParameterError(
                f"parameter '{_join(prefix, name)}' must be a table of numbers; got {value!r}"
            )
        if keys is not None:
            missing = [k for k in keys if k not in value]
            extra = [k for k in value if k not in keys]
            if missing or extra:
                raise ParameterError(
                    f"parameter '{_join(prefix, name)}' must have exactly the keys {list(keys)}; "
                    f"missing {missing}, unknown {extra}"
                )
        clean = {}
        for key, item in value.items():
            clean[str(key)] = check_number(
                f"{_join(prefix, name)}['{key}']", item, minimum=0.0, maximum=maximum
            )
        self._set(name, FrozenMap(clean))

    # ----------------------------------------------------------------------- dict round trip

    def to_dict(self) -> dict[str, Any]:
        """Return the section as a nested dict of plain values (tables become dicts)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in self._nested:
                out[f.name] = value.to_dict()
            elif f.name in self._named_items:
                out[f.name] = {item.name: item.to_dict(skip_name=True) for item in value}
            elif isinstance(value, Mapping):
                out[f.name] = dict(value)
            else:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | Params | None, prefix: str | None = None) -> Any:
        """Build the section from a (possibly partial) dict; missing keys take their defaults."""
        if isinstance(data, cls):
            return data
        prefix = cls._section if prefix is None else prefix
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ParameterError(f"parameter '{prefix}' must be a table; got {data!r}")
        names = {f.name: f for f in dataclasses.fields(cls) if f.init}
        unknown = [k for k in data if k not in names]
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(repr(_join(prefix, k)) for k in unknown)}; "
                f"known parameters of {repr(prefix) if prefix else 'a scenario'}: "
                f"{', '.join(names)}"
            )
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in cls._nested:
                sub = cls._nested[key]
                kwargs[key] = sub.from_dict(value, _join(prefix, key))
            elif key in cls._named_items:
                kwargs[key] = cls._items_from_dict(key, value, prefix)
            else:
                kwargs[key] = value
        return cls(**kwargs)

    @classmethod
    def _items_from_dict(cls, key: str, value: Any, prefix: str) -> tuple:
        """Build a tuple of named items, starting from the defaults and overriding by name."""
        item_cls = cls._named_items[key]
        defaults = {f.name: f for f in dataclasses.fields(cls)}[key].default_factory()  # type: ignore[misc]
        if isinstance(value, tuple | list) and all(isinstance(v, item_cls) for v in value):
            return tuple(value)
        if not isinstance(value, Mapping):
            raise ParameterError(f"parameter '{_join(prefix, key)}' must be a table keyed by name")
        by_name = {item.name: item for item in defaults}
        unknown = [k for k in value if k not in by_name]
        if unknown:
            raise ParameterError(
                f"unknown name(s) {unknown} in '{_join(prefix, key)}'; known: {list(by_name)}"
            )
        items = []
        for name, default in by_name.items():
            given = value.get(name)
            if given is None:
                items.append(default)
            elif isinstance(given, item_cls):
                items.append(given)
            else:
                merged = default.to_dict()
                if not isinstance(given, Mapping):
                    raise ParameterError(
                        f"parameter '{_join(prefix, key)}.{name}' must be a table; got {given!r}"
                    )
                for k in given:
                    if k not in merged:
                        raise ParameterError(
                            f"unknown parameter '{_join(prefix, key)}.{name}.{k}'; "
                            f"known: {', '.join(merged)}"
                        )
                merged.update(given)
                items.append(item_cls(**merged))
        return tuple(items)


def term_identifier(parameter: str, value: Any, vocabulary: str) -> str:
    """The identifier a user meant by *value* in *vocabulary* (English or Chinese accepted);
    a ParameterError naming *parameter* and listing the accepted names otherwise.

    >>> term_identifier("structure.name", "扩大工作范围", "structure")
    'extended_roles'
    """
    try:
        if not isinstance(value, str):
            raise ValueError
        return canonical(vocabulary, value)
    except ValueError:
        names = ", ".join(
            f"{k} ({TERMS[k][1]})" if k in TERMS else k for k in VOCABULARIES[vocabulary]
        )
        raise ParameterError(
            f"parameter {parameter!r} must be one of: {names}; got {value!r}"
        ) from None


def _leaf_fields(params: Params, prefix: str | None = None):
    """Every leaf field of *params*, nested sections and keyed tables walked through, as
    ``(field, value, path)`` in declaration order."""
    prefix = params.path() if prefix is None else prefix
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        path = _join(prefix, f.name)
        if f.name in params._nested:
            yield from _leaf_fields(value, path)
        elif f.name in params._named_items:
            for item in value:
                yield from _leaf_fields(item, f"{path}['{item.name}']")
        else:
            yield f, value, path


def describe(params: Params, prefix: str | None = None) -> list[dict[str, Any]]:
    """Flatten a section into rows ``{parameter, value, default, unit, description}``."""
    return [
        {
            "parameter": path,
            "value": dict(value) if isinstance(value, Mapping) else value,
            "unit": f.metadata["unit"],
            "description": f.metadata["doc"],
        }
        for f, value, path in _leaf_fields(params, prefix)
        if "doc" in f.metadata
    ]


def plausible_parameters(params: Params, prefix: str | None = None) -> list[dict[str, Any]]:
    """Every parameter of *params* with a declared plausible range, as rows ``{parameter,
    value, low, high, unit, description, source}`` (bounds for the current value)."""
    rows: list[dict[str, Any]] = []
    for f, value, path in _leaf_fields(params, prefix):
        if "plausible" in f.metadata and isinstance(value, int | float):
            rng: Plausible = f.metadata["plausible"]
            low, high = rng.bounds(float(value))
            rows.append({"parameter": path, "value": value, "low": low, "high": high,
                         "unit": f.metadata["unit"], "description": f.metadata["doc"],
                         "source": rng.source})  # fmt: skip
    return rows


class NamedParams(Params):
    """A section that appears in a keyed table (funnel steps, channels); ``name`` is its key."""

    name: str

    def path(self) -> str:
        """Path such as ``funnel.steps['contact']``."""
        return f"{self._section}['{self.name}']"

    def to_dict(self, skip_name: bool = False) -> dict[str, Any]:
        """As :meth:`Params.to_dict`; ``skip_name`` drops the key (it is the table's key)."""
        out = super().to_dict()
        if skip_name:
            out.pop("name", None)
        return out
