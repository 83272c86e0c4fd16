"""Tests for crmsim.sim.streams: keyed random streams and inverse-CDF draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import ParameterError
from crmsim.sim.streams import (
    Streams,
    exponential_from_uniform,
    normal_from_uniform,
    poisson_cap,
    poisson_from_uniform,
    poisson_quantile,
)


def test_streams_are_keyed_not_ordered():
    s = Streams(3)
    a = s.generator("lifecycle", 5).random(3)
    s.generator("service", 1).random(10)  # asking for another stream changes nothing
    b = Streams(3).generator("lifecycle", 5).random(3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, Streams(3).generator("lifecycle", 6).random(3))
    assert not np.array_equal(a, Streams(3).generator("turnover", 5).random(3))


@given(
    entropy=st.one_of(st.integers(0, 2**40), st.integers(0, 2**300)),
    spawn=st.lists(st.integers(0, 2**33), max_size=2),
    name=st.sampled_from(["arrivals", "needs", "lifecycle"]),
    keys=st.lists(st.integers(0, 2**34), max_size=3),
)
def test_a_generator_draws_what_its_seed_sequence_gives(entropy, spawn, name, keys):
    # generator() builds its SeedSequence from pre-assembled words (faster); the numbers must
    # be those of the documented SeedSequence of the stream and keys
    streams = Streams(np.random.SeedSequence(entropy, spawn_key=spawn))
    plain = np.random.Generator(np.random.PCG64(streams.seed_sequence(name, *keys)))
    assert np.array_equal(streams.generator(name, *keys).random(5), plain.random(5))


def test_a_generator_from_sequence_entropy_takes_the_plain_way():
    streams = Streams(np.random.SeedSequence([7, 2**40, 3]))
    plain = np.random.Generator(np.random.PCG64(streams.seed_sequence("needs", 1, 9)))
    assert np.array_equal(streams.generator("needs", 1, 9).random(3), plain.random(3))


def test_longer_draws_keep_the_first_rows():
    # customer i gets row i whatever the number of customers (common random numbers)
    short = Streams(1).generator("lifecycle", 0).random((5, 3))
    long = Streams(1).generator("lifecycle", 0).random((9, 3))
    assert np.array_equal(short, long[:5])


def test_poisson_hand_worked():
    # Poisson(1): P(0) = .368, P(<=1) = .736, P(<=2) = .920, P(<=3) = .981, P(<=4) = .996
    u = np.array([0.3, 0.5, 0.8, 0.95, 0.99])
    assert poisson_from_uniform(u, 1.0).tolist() == [0, 1, 2, 3, 4]
    assert poisson_quantile(0.5, 1.0) == 1
    assert poisson_quantile(0.5, 0.0) == 0


@pytest.mark.parametrize("lam", [0.2, 3.0, 29.0, 31.0, 400.0, 2500.0])
def test_poisson_moments(lam):
    u = np.random.default_rng(0).random(5_000 if lam > 30 else 20_000)
    x = poisson_from_uniform(u, lam, cap=100_000)
    se = math.sqrt(lam / len(u))
    assert abs(x.mean() - lam) < 4 * se
    assert x.var() == pytest.approx(lam, rel=0.05)


@given(u=st.floats(0, 0.999999), lam=st.floats(0.01, 3000))
def test_poisson_quantile_is_monotone_in_the_rate(u, lam):
    assert poisson_quantile(u, lam) <= poisson_quantile(u, lam * 1.1)


@given(
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 29.9)), min_size=1, max_size=40
    )
)
def test_a_poisson_count_does_not_depend_on_the_other_draws(pairs):
    # with many draws the walk up the CDF is vectorised and the last few go on one by one;
    # a draw alone always goes one by one: both ways must give the same count
    u, lam = (np.array(col) for col in zip(*pairs, strict=True))
    together = poisson_from_uniform(np.tile(u, 20), np.tile(lam, 20))
    alone = [int(poisson_from_uniform(u[i : i + 1], lam[i : i + 1])[0]) for i in range(len(u))]
    assert together.tolist() == alone * 20


def test_normal_and_exponential():
    assert float(normal_from_uniform(0.5)) == pytest.approx(0.0, abs=1e-9)
    assert float(normal_from_uniform(0.841344746)) == pytest.approx(1.0, abs=1e-6)
    assert float(normal_from_uniform(0.001)) == pytest.approx(-3.090232, abs=1e-5)
    assert float(exponential_from_uniform(1 - math.exp(-1), 2.0)) == pytest.approx(2.0)
    assert poisson_cap(0.5) >= 6


def test_bad_seed():
    with pytest.raises(ParameterError, match="seed"):
        Streams(-3)
    with pytest.raises(ParameterError, match="seed"):
        Streams(1.5)  # type: ignore[arg-type]
