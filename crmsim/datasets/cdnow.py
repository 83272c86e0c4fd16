"""The CDNOW purchase data (Fader & Hardie), read from the installed ``lifetimes`` distribution.

CDNOW was an online music retailer. The data set follows the cohort of 23,570 customers who made
their first purchase in the first quarter of 1997, through every purchase they made until the end
of June 1998. Peter Fader and Bruce Hardie published it with their work on customer-base analysis
(e.g. Fader, Hardie & Lee, "Counting your customers the easy way", Marketing Science, 2005), and
the MIT-licensed ``lifetimes`` package on PyPI ships it as ``lifetimes/datasets/CDNOW_master.txt``.

:func:`load_cdnow` reads that file straight from the installed distribution through
:mod:`importlib.metadata`: it never imports ``lifetimes`` (whose import pulls in autograd and
``pkg_resources``), so the optional extra only has to be *installed*::

    pip install "crmsim[cdnow]"
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pandas as pd

#: The distribution that carries the file, and the extra that installs it.
DISTRIBUTION = "lifetimes"
EXTRA = "cdnow"
#: Where the file sits inside the distribution.
CDNOW_FILE = "lifetimes/datasets/CDNOW_master.txt"
#: The 1-in-10 sample of the cohort (2,357 customers) the published model fits use.
CDNOW_SAMPLE_FILE = "lifetimes/datasets/CDNOW_sample.txt"
#: Columns of :func:`load_cdnow`, in order.
CDNOW_COLUMNS: tuple[str, ...] = ("customer_id", "date", "quantity", "amount")
#: First and last day covered by the data.
CDNOW_START = pd.Timestamp("1997-01-01")
CDNOW_END = pd.Timestamp("1998-06-30")

_MISSING = (
    "the CDNOW data set ships inside the 'lifetimes' package, which is not installed; "
    'install the optional extra with: pip install "crmsim[cdnow]" (or pip install lifetimes)'
)


def cdnow_path(sample: bool = False) -> Path:
    """Path of ``CDNOW_master.txt`` (or, with *sample*, ``CDNOW_sample.txt``) inside the
    installed ``lifetimes`` distribution.

    Returns
    -------
    pathlib.Path
        The file, which exists.

    Raises
    ------
    ImportError
        ``lifetimes`` is not installed (the message names the ``cdnow`` extra), or the installed
        version does not carry the file.
    """
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise ImportError(_MISSING) from None
    name = CDNOW_SAMPLE_FILE if sample else CDNOW_FILE
    path = Path(str(dist.locate_file(name)))
    if not path.is_file():
        raise ImportError(
            f"the installed 'lifetimes' {dist.version} has no {name!r} (looked at {path}); "
            f'reinstall the optional extra with: pip install --force-reinstall "crmsim[{EXTRA}]"'
        )
    return path


def load_cdnow(sample: bool = False) -> pd.DataFrame:
    """Load the CDNOW purchase records: 69,659 purchases by 23,570 customers, 1997-01 to 1998-06.

    Each row is one customer's purchases on one day, as published by Fader & Hardie (the
    "CDNOW master" file). Needs the optional extra ``cdnow`` (``pip install "crmsim[cdnow]"``).

    Parameters
    ----------
    sample : bool
        The published 1-in-10 sample instead ("CDNOW sample": 6,919 rows, 2,357 customers, the
        same records), on which Fader, Hardie & Lee (2005) fit the BG/NBD model: the first 39
        weeks (to 1997-09-30) to calibrate, the next 39 weeks to check the forecast.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CDNOW_COLUMNS`, sorted as in the file (by customer, then date):

        - ``customer_id`` (int64): customer number, 1 to 23,570;
        - ``date`` (datetime64[ns]): day of purchase, 1997-01-01 to 1998-06-30;
        - ``quantity`` (int64): number of CDs bought that day;
        - ``amount`` (float64): dollars spent that day (a handful of rows are 0).

        The column names match the bundled company's transactions, so
        ``crmsim.abc_classify(load_cdnow())`` and ``concentration_summary`` work unchanged.

    Raises
    ------
    ImportError
        The ``lifetimes`` distribution is not installed; the message gives the pip command.

    Examples
    --------
    >>> cdnow = load_cdnow()
    >>> len(cdnow), cdnow["customer_id"].nunique()
    (69659, 23570)
    >>> load_cdnow(sample=True)["customer_id"].nunique()
    2357
    """
    path = cdnow_path(sample)
    # the sample carries a second column, the customer's number within the sample (1..2,357)
    names = ["customer_id", "sample_id", *CDNOW_COLUMNS[1:]] if sample else list(CDNOW_COLUMNS)
    raw = pd.read_csv(
        path,
        sep=r"\s+",
        skiprows=0 if sample else 1,
        header=None,
        names=names,
        dtype={"customer_id": "int64", "sample_id": "int64", "date": "str", "quantity": "int64",
               "amount": "float64"},
        engine="c",
    )
    raw = raw[list(CDNOW_COLUMNS)]
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[ns]")
    return raw
