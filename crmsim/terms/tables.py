"""Tables in the reader's language: headers and category names from the translation catalogs.

The methods return tidy tables whose column names and categories are the kit's identifiers
(``share_of_customers``, ``stability``, ``extended_roles``): right for code, foreign to a
class reading the Chinese edition of a lesson. :func:`localize` relabels a copy for display and
leaves the numbers as they are.
"""

from __future__ import annotations

from typing import Any

from crmsim.terms.catalog import TERMS, label, resolve_language

__all__ = ["localize"]


def _header(name: Any, lang: str) -> Any:
    if not isinstance(name, str):
        return name
    for key in (f"col.{name}", name):
        if key in TERMS:
            return label(key, lang)
    return name


def _value(value: Any, lang: str) -> Any:
    # one-letter identifiers (ABC classes, credit grades) mean different things in different
    # tables, so they stay as they are
    if isinstance(value, str) and len(value) > 1 and value in TERMS and "." not in value:
        return label(value, lang)
    return value


def localize(table: Any, lang: str | None = None) -> Any:
    """A copy of *table* (DataFrame or Series) for people reading *lang*.

    Column names (and the index's name) become their ``col.<name>`` label, or the label of the
    identifier itself; text values that are vocabulary identifiers (stages, tiers, structures,
    channels, ...) become their label, in the columns and in the index. Numbers, one-letter
    values (an ABC class or a credit grade "A" reads the same in every language) and any text the
    catalogs do not know (customer ids, free text) are left unchanged.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
    lang : {"en", "zh", "both"}, optional
        Default the session language (:func:`crmsim.set_language`).

    Returns
    -------
    pandas.DataFrame or pandas.Series

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"stage": ["stability", "lost"], "count": [116, 76]})
    >>> localize(t, "zh").to_dict("list")
    {'阶段': ['稳定期', '客户流失'], '数量': [116, 76]}
    """
    import pandas as pd

    lang = resolve_language(lang)
    out = table.copy()

    def textual(values: Any) -> bool:
        return (pd.api.types.is_object_dtype(values.dtype)
                or pd.api.types.is_string_dtype(values.dtype)
                or isinstance(values.dtype, pd.CategoricalDtype))

    def relabel_index(index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            levels = [lvl.astype(object).map(lambda v: _value(v, lang)) if textual(lvl) else lvl
                      for lvl in index.levels]
            return index.set_levels(levels).set_names([_header(n, lang) for n in index.names])
        if textual(index):
            index = pd.Index(index.astype(object).map(lambda v: _value(v, lang)), name=index.name)
        return index.rename(_header(index.name, lang))

    out.index = relabel_index(out.index)
    if isinstance(out, pd.Series):
        if textual(out):
            out = out.astype(object).map(lambda v: _value(v, lang))
        return out.rename(_header(out.name, lang))
    for column in out.columns:
        if textual(out[column]):
            out[column] = out[column].astype(object).map(lambda v: _value(v, lang))
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = relabel_index(out.columns)
    else:
        out.columns = pd.Index([_header(c, lang) for c in out.columns],
                               name=_header(out.columns.name, lang))
    return out
