"""Student's t distribution, for the CSAT interval (n-1 degrees of freedom) and Welch's test (fractional ones).

Written out rather than imported: scipy would be the only reason to ship a 40 MB dependency and add a third of
a second to every command's start, for two functions. The regularised incomplete beta function by its continued
fraction (Lentz's method, as in Numerical Recipes 6.4) is exact to ~1e-12 here; the tests check it against scipy.
"""
from __future__ import annotations

import functools
import math

_EPSILON = 1e-14
_TINY = 1e-300


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    fraction = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            fraction *= c * d
        if abs(c * d - 1.0) < _EPSILON:
            break
    return fraction


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):  # the fraction converges fast on this side; use the symmetry on the other
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def cdf(t: float, df: float) -> float:
    tail = two_sided_p(t, df) / 2.0
    return 1.0 - tail if t > 0 else tail


@functools.lru_cache(maxsize=4096)  # an agenda asks for the same few (0.975, n - 1) again and again
def quantile(probability: float, df: float) -> float:
    """The t with cdf(t, df) = probability (0 < probability < 1), by bisection: monotone, and fast enough
    for the handful of intervals an agenda shows."""
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must lie strictly between 0 and 1")
    if probability < 0.5:
        return -quantile(1.0 - probability, df)
    low, high = 0.0, 1.0
    while cdf(high, df) < probability:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if cdf(middle, df) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0
