"""Exceptions raised by crmsim.

Every error crmsim raises for bad input is a subclass of :class:`CrmsimError`, which is itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers who do not care which.
"""

from __future__ import annotations


class CrmsimError(ValueError):
    """Base class for crmsim's input and parameter errors."""


class DataError(CrmsimError):
    """A table (DataFrame or file) does not have the expected columns, types or values.

    The message names the source (file or argument), the column, the offending rows where
    there are any, the value found and what was expected.
    """


class ParameterError(CrmsimError):
    """A function argument or scenario parameter is impossible (negative rate, probability > 1...).

    The message names the parameter, the value found and what was expected.
    """
