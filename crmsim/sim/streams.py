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
import statistics
from itertools import repeat
from statistics import NormalDist

import numpy as np

from crmsim.errors import ParameterError

_STANDARD_NORMAL = NormalDist()
# NormalDist.inv_cdf's own kernel (C in CPython), called with mu = 0 and sigma = 1 without the
# method's checks (the uniforms are clipped inside (0, 1) first): a big run draws over a million
_INV_CDF = getattr(statistics, "_normal_dist_inv_cdf", None)

#: The named streams and their fixed child index.
STREAM_NAMES: tuple[str, ...] = (
    "arrivals",
    "funnel",
    "lifecycle",
    "service",
    "turnover",
    "book",
    "needs",
    "backlog",
)


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
        self._prefix = _entropy_words(self.root)
        if self._prefix is not None:  # check the shortcut once; the plain way if it differs
            probe = (*self.root.spawn_key, 0, 1)
            if not np.array_equal(
                self._seed_sequence(probe).generate_state(4),
                self._plain_seed_sequence(probe).generate_state(4),
            ):
                self._prefix = None  # pragma: no cover - numpy keeps SeedSequence stable

    def _key(self, name: str, keys: tuple[int, ...]) -> tuple[int, ...]:
        if name not in STREAM_NAMES:
            raise ValueError(f"unknown stream {name!r}; known: {STREAM_NAMES}")
        return (*self.root.spawn_key, STREAM_NAMES.index(name), *map(int, keys))

    def _plain_seed_sequence(self, key: tuple[int, ...]) -> np.random.SeedSequence:
        root = self.root
        return np.random.SeedSequence(root.entropy, spawn_key=key, pool_size=root.pool_size)

    def _seed_sequence(self, key: tuple[int, ...]) -> np.random.SeedSequence:
        """A SeedSequence with the same state as ``_plain_seed_sequence(key)``, made faster.

        A SeedSequence mixes its entropy words, zero-padded to the pool size, followed by its
        spawn key's words; handing it those words already assembled gives the same pool (and
        so the same numbers) in less time, which counts with hundreds of keyed generators per
        run. Keys outside 0 .. 2**32 - 1 take the plain way.
        """
        if self._prefix is None or min(key) < 0 or max(key) > _WORD:
            return self._plain_seed_sequence(key)
        words = np.array((*self._prefix, *key), dtype=np.uint32)
        return np.random.SeedSequence(words, pool_size=self.root.pool_size)

    def seed_sequence(self, name: str, *keys: int) -> np.random.SeedSequence:
        """The SeedSequence of stream *name* refined by integer *keys*."""
        return self._plain_seed_sequence(self._key(name, keys))

    def generator(self, name: str, *keys: int) -> np.random.Generator:
        """A fresh generator for stream *name* and *keys* (same keys → same numbers): that of
        :meth:`seed_sequence`."""
        return np.random.Generator(np.random.PCG64(self._seed_sequence(self._key(name, keys))))


_WORD = 2**32 - 1


def _entropy_words(root: np.random.SeedSequence) -> tuple[int, ...] | None:
    """The words a SeedSequence mixes before its spawn key: its entropy (a whole number) as
    32-bit words, least significant first, zero-padded to the pool size; None for entropy
    given as a sequence (those streams take the plain way)."""
    entropy = root.entropy
    if not isinstance(entropy, int) or entropy < 0:
        return None
    words = [entropy & _WORD]
    while entropy > _WORD:
        entropy >>= 32
        words.append(entropy & _WORD)
    words += [0] * (root.pool_size - len(words))
    return tuple(words)


def exponential_from_uniform(u: np.ndarray | float, mean: np.ndarray | float) -> np.ndarray:
    """Exponential draws with the given *mean* from uniforms in [0, 1)."""
    return -np.asarray(mean, dtype=float) * np.log1p(-np.asarray(u, dtype=float))


def poisson_quantile(u: float, lam: float) -> int:
    """Smallest k with P(N <= k) >= u for N ~ Poisson(*lam*) (scalar, any rate; SciPy).

    Examples
    --------
    >>> poisson_quantile(0.5, 1.0), poisson_quantile(0.5, 1500.0)
    (1, 1500)
    """
    if lam <= 0.0:
        return 0
    if lam < 500.0:  # walk up the CDF (the monthly lead counts: the hot path)
        p = math.exp(-lam)
        cdf, k = p, 0
        while cdf < u and k < 1000:
            k += 1
            p *= lam / k
            cdf += p
        return k
    return int(_poisson_ppf(np.asarray(u, dtype=float), np.asarray(lam, dtype=float)))


def _poisson_ppf(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson quantiles, as ``scipy.stats.poisson.ppf`` computes them (from the special
    functions it uses, without the cost of importing and calling scipy.stats)."""
    from scipy.special import pdtr, pdtrik  # imported on first use: `import crmsim` stays fast

    with np.errstate(invalid="ignore"):
        vals = np.ceil(pdtrik(u, lam))
        lower = np.maximum(vals - 1, 0)
        out = np.where(pdtr(lower, lam) >= u, lower, vals)
    return np.where(u >= 1.0, np.inf, np.maximum(np.nan_to_num(out, nan=0.0), 0))


#: Draws still walking up the CDF below which poisson_from_uniform goes on one by one.
_FEW_LEFT = 16


def poisson_from_uniform(u: np.ndarray, lam: np.ndarray | float, cap: int = 60) -> np.ndarray:
    """Poisson counts with rates *lam* from uniforms *u* by inverse CDF (vectorised).

    Counts are truncated at *cap*. Small rates (the monthly purchase and request counts, the hot
    path) use a vectorised walk up the CDF, about 15 times faster than ``scipy.stats.poisson.ppf``
    on arrays of a few hundred; once only a few draws are still walking (the largest counts),
    they go on one by one in plain floats, with the same arithmetic and so the same counts,
    which saves numpy's cost per call. Rates of 30 or more go to SciPy.

    Examples
    --------
    >>> poisson_from_uniform(np.array([0.1, 0.5, 0.99]), 1.0).tolist()
    [0, 1, 4]
    """
    u = np.asarray(u, dtype=float)
    lam = np.asarray(lam, dtype=float)
    if lam.shape != u.shape:
        lam = np.broadcast_to(lam, u.shape)
    big = lam >= 30.0
    any_big = bool(big.any())
    small_lam = np.where(big, 0.0, lam) if any_big else lam
    p = np.exp(-small_lam)
    cdf = p.copy()
    count = np.zeros(u.shape, dtype=np.int64)
    active = (u >= cdf) & ~big if any_big else u >= cdf
    k = 0
    reached = np.empty(u.shape, dtype=bool)
    while k < cap and np.count_nonzero(active) > _FEW_LEFT:
        k += 1
        p *= small_lam  # p = p * lam / k, in place
        p /= k
        cdf += p
        count += active
        np.greater_equal(u, cdf, out=reached)
        active &= reached
    left = np.flatnonzero(active)
    flat = count.reshape(-1)
    rows = (a.ravel()[left].tolist() for a in (p, cdf, small_lam, u))
    for i, p_i, cdf_i, lam_i, u_i in zip(left.tolist(), *rows, strict=True):
        n_i, k_i = int(flat[i]), k
        while k_i < cap:  # the walk above, for one draw
            k_i += 1
            p_i = p_i * lam_i / k_i
            cdf_i = cdf_i + p_i
            n_i += 1
            if u_i < cdf_i:
                break
        flat[i] = n_i
    if any_big:
        count[big] = np.minimum(_poisson_ppf(u[big], lam[big]), cap)
    return count


def normal_from_uniform(u: np.ndarray | float) -> np.ndarray:
    """Standard normal quantiles of uniforms *u*, clipped so that u = 0 gives a finite draw.

    From the standard library's :meth:`statistics.NormalDist.inv_cdf` (Wichura's AS241, as
    accurate as ``scipy.special.ndtri``): the model draws a few thousand a month at most, and
    this keeps SciPy, slow to import, out of a simulation run.

    Examples
    --------
    >>> round(float(normal_from_uniform(0.975)), 4)
    1.96
    >>> normal_from_uniform(np.array([0.5, 0.0])).round(3).tolist()
    [0.0, -7.034]
    """
    x = np.clip(np.asarray(u, dtype=float), 1e-12, 1 - 1e-12)
    p = x.ravel().tolist()
    if _INV_CDF is None:  # (another Python: the public method, same numbers)
        z = map(_STANDARD_NORMAL.inv_cdf, p)
    else:
        z = map(_INV_CDF, p, repeat(0.0), repeat(1.0))
    return np.fromiter(z, dtype=float, count=len(p)).reshape(x.shape)


def poisson_cap(rate: float, tail: float = 1e-9) -> int:
    """Smallest k with P(N > k) < *tail* for N ~ Poisson(*rate*) (at least 1).

    Examples
    --------
    >>> poisson_cap(0.5)
    9
    """
    return max(poisson_quantile(1.0 - tail, rate), 1)
