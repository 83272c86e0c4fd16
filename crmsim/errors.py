"""Exceptions raised by crmsim.

Every error crmsim raises for bad input is a subclass of :class:`CrmsimError`, which is itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers who do not care which.
"""

from __future__ import annotations


class CrmsimError(ValueError):
    """Base class for crmsim's input and parameter errors.

    ``cli`` is the same message worded for the command line, when the advice differs (an
    option such as ``--encoding big5`` instead of the parameter ``encoding='big5'``); the
    ``crmsim`` command prints :attr:`cli_message`.
    """

    def __init__(self, message: str = "", *, cli: str | None = None) -> None:
        super().__init__(message)
        self.cli_message = cli if cli is not None else message


class WorkerError(CrmsimError):
    """A worker process of a parallel run stopped without an answer (killed, out of memory)."""


class DataError(CrmsimError):
    """A table (DataFrame or file) does not have the expected columns, types or values.

    The message names the source (file or argument), the column, the offending rows where
    there are any, the value found and what was expected.
    """


class ParameterError(CrmsimError):
    """A function argument or scenario parameter is impossible (negative rate, probability > 1...).

    The message names the parameter, the value found and what was expected.
    """
