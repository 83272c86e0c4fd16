"""Named random streams and the inverse-CDF helpers that make common random numbers work.

All randomness of one replication comes from one :class:`numpy.random.SeedSequence`. Each *named
stream* (arrivals, funnel, lifecycle, service, turnover) is a fixed child of it, and inside a
stream every draw is keyed by what it is for: ``stream("lifecycle", month)`` gives the generator
of that month's lifecycle luck, ``stream("arrivals", channel, month)`` the leads of one channel in
one month. Keys never depend on the order in which the model asks for them, so two scenarios run
with the same seed consume the same numbers wherever their mechanics agree (common random
numbers, CRN): customer *i* sees the same monthly uniforms whatever the structure, and lead *j* of
a channel in a month has the same quality, profile and step luck.

Draws are made as uniforms and turned into the wanted distribution by inverse CDF
(:func:`poisson_from_uniform`, :func:`normal_from_uniform`, :func:`exponential_from_uniform`),
so a changed parameter moves a draw smoothly instead of shifting every later draw.
"""

from __future__ import annotations

import math

import numpy as np

from crmsim.errors import ParameterError

#: The named streams and their fixed child index.
STREAM_NAMES: tuple[str, ...] = ("arrivals", "funnel", "lifecycle", "service", "turnover", "book")


def as_seed_sequence(seed: int | np.random.SeedSequence | None) -> np.random.SeedSequence:
    """Return a SeedSequence for *seed* (an int >= 0, a SeedSequence, or None for entropy)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ParameterError(f"parameter 'seed' must be a whole number >= 0; got {seed!r}")
    return np.random.SeedSequence(int(seed))


class Streams:
    """Keyed random generators derived from one seed.

    Parameters
    ----------
    seed : int or numpy.random.SeedSequence
        The replication's seed.

    Examples
    --------
    >>> s = Streams(1)
    >>> a = s.generator("lifecycle", 3).random(2)
    >>> b = Streams(1).generator("lifecycle", 3).random(2)
    >>> bool((a == b).all())
    True
    """

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self.root = as_seed_sequence(seed)

    def seed_sequence(self, name: str, *keys: int) -> np.random.SeedSequence:
        """The SeedSequence of stream *name* refined by integer *keys*."""
        if name not in STREAM_NAMES:
            raise ValueError(f"unknown stream {name!r}; known: {STREAM_NAMES}")
        key = (*self.root.spawn_key, STREAM_NAMES.index(name), *(int(k) for k in keys))
        return np.random.SeedSequence(
            entropy=self.root.entropy, spawn_key=key, pool_size=self.root.pool_size
        )

    def generator(self, name: str, *keys: int) -> np.random.Generator:
        """A fresh generator for stream *name* and *keys* (same keys → same numbers)."""
        return np.random.Generator(np.random.PCG64(self.seed_sequence(name, *keys)))


def exponential_from_uniform(u: np.ndarray | float, mean: np.ndarray | float) -> np.ndarray:
    """Exponential draws with the given *mean* from uniforms in [0, 1)."""
    return -np.asarray(mean, dtype=float) * np.log1p(-np.asarray(u, dtype=float))


def poisson_quantile(u: float, lam: float) -> int:
    """Smallest k with P(N <= k) > u for N ~ Poisson(*lam*) (scalar, any rate).

    Large rates are handled from the mode outward, so nothing underflows.

    Examples
    --------
    >>> poisson_quantile(0.5, 1.0), poisson_quantile(0.5, 1500.0)
    (1, 1500)
    """
    if lam <= 0.0:
        return 0
    if lam < 30.0:
        p = math.exp(-lam)
        cdf, k = p, 0
        while u >= cdf and k < 10_000:
            k += 1
            p *= lam / k
            cdf += p
        return k
    m = int(lam)
    pm = math.exp(-lam + m * math.log(lam) - math.lgamma(m + 1))
    # cdf = P(N <= m), summed down from the mode until the terms are negligible (below
    # 1e-18 of the sum); counts below that point, k_low, are treated as impossible
    cdf, p, k = pm, pm, m
    while k > 0 and p > 1e-18 * cdf:
        p *= k / lam
        k -= 1
        cdf += p
    k_low = k
    p, k = pm, m
    if u < cdf:  # walk down while the previous CDF still exceeds u
        while k > k_low and u < cdf - p:
            cdf -= p
            p *= k / lam
            k -= 1
        return k
    while u >= cdf and p > 0.0:  # walk up
        k += 1
        p *= lam / k
        cdf += p
    return k


def poisson_from_uniform(u: np.ndarray, lam: np.ndarray | float, cap: int = 60) -> np.ndarray:
    """Poisson counts with rates *lam* from uniforms *u* by inverse CDF (vectorised).

    Counts are truncated at *cap*. Rates of 30 or more are handled one by one by
    :func:`poisson_quantile`.

    Examples
    --------
    >>> poisson_from_uniform(np.array([0.1, 0.5, 0.99]), 1.0).tolist()
    [0, 1, 4]
    """
    u = np.asarray(u, dtype=float)
    lam = np.broadcast_to(np.asarray(lam, dtype=float), u.shape)
    big = lam >= 30.0
    small_lam = np.where(big, 0.0, lam)
    p = np.exp(-small_lam)
    cdf = p.copy()
    count = np.zeros(u.shape, dtype=np.int64)
    active = (u >= cdf) & ~big
    k = 0
    while active.any() and k < cap:
        k += 1
        p = p * small_lam / k
        cdf = cdf + p
        count += active
        active = active & (u >= cdf)
    if big.any():
        for i in zip(*np.nonzero(big), strict=True):
            count[i] = min(poisson_quantile(float(u[i]), float(lam[i])), cap)
    return count


# Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)  # fmt: skip
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def normal_from_uniform(u: np.ndarray | float) -> np.ndarray:
    """Standard normal quantiles of uniforms *u* (Acklam's approximation, vectorised).

    Examples
    --------
    >>> round(float(normal_from_uniform(0.975)), 4)
    1.96
    """
    u = np.clip(np.asarray(u, dtype=float), 1e-12, 1 - 1e-12)
    out = np.empty_like(u)
    low = u < 0.02425
    high = u > 1 - 0.02425
    mid = ~(low | high)
    q = u[mid] - 0.5
    r = q * q
    num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    out[mid] = num / den
    for mask, sign, base in ((low, 1.0, u), (high, -1.0, 1 - u)):
        if mask.any():
            q = np.sqrt(-2 * np.log(base[mask]))
            num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
            den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
            out[mask] = sign * num / den
    return out


def poisson_cap(rate: float, tail: float = 1e-9) -> int:
    """Smallest k with P(N > k) < *tail* for N ~ Poisson(*rate*) (at least 1).

    Examples
    --------
    >>> poisson_cap(0.5)
    9
    """
    return max(poisson_quantile(1.0 - tail, rate), 1)
