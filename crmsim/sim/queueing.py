"""Closed-form results for the M/M/c queue (Erlang C), used to verify the service model.

With Poisson arrivals at rate ``lam``, exponential service at rate ``mu`` per server and ``c``
identical servers taking requests first come, first served, the probability that a request has
to wait is Erlang's C formula and the mean wait in the queue is ``C / (c mu - lam)``.
"""

from __future__ import annotations

from crmsim._validation import check_number
from crmsim.errors import ParameterError


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability of waiting in an M/M/c queue (Erlang C), computed via Erlang B.

    Parameters
    ----------
    servers : int
        Number of servers c (>= 1).
    offered_load : float
        a = lam / mu, must be < c for a stable queue.

    Examples
    --------
    >>> round(erlang_c(1, 0.5), 6)   # M/M/1: P(wait) = utilisation
    0.5
    >>> round(erlang_c(2, 1.0), 6)
    0.333333
    """
    c = int(check_number("servers", servers, minimum=1, integer=True))
    a = check_number("offered_load", offered_load, minimum=0.0)
    if a >= c:
        raise ParameterError(
            f"parameter 'offered_load' must be < servers ({c}) for a stable queue; got {a}"
        )
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1.0 - b))


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in queue (before service starts) of an M/M/c queue.

    Examples
    --------
    >>> round(mmc_mean_wait(0.5, 1.0, 1), 6)   # M/M/1: rho / (mu - lam) = 0.5 / 0.5
    1.0
    """
    lam = check_number("arrival_rate", arrival_rate, minimum=0.0)
    mu = check_number("service_rate", service_rate, minimum=0.0, strict_minimum=True)
    c = int(check_number("servers", servers, minimum=1, integer=True))
    return erlang_c(c, lam / mu) / (c * mu - lam)
