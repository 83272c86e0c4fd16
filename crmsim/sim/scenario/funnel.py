"""Lead generation by prospecting channel and the nine-step development funnel (客户开发流程).

A *lead* here is a named prospect delivered by a channel (a referral, a researched company, a
telemarketing call that got through, a platform lead), i.e. already past the raw-inquiry filter
(practitioner range inquiry→qualified 10–25%, domain.md §11). Each lead then goes through the nine
steps of domain.md §5. At every step the assigned account manager spends ``work_hours`` of his
hunting time (one step at a time, first come first served, so leads queue when he is busy), the
prospect then takes ``mean_days`` (exponential) to respond, and the step is passed with a
probability that rises with the manager's skill and the lead's quality. A lead that waits longer
than its patience for the manager goes cold and is lost at that step.

Default pass probabilities group into the practitioner ranges of domain.md §11: find×contact
≈ 0.53 (qualified→accepted 40–60%), prepare×approach×needs ≈ 0.61 (accepted→opportunity 50–70%),
presentation×objections×agreement ≈ 0.27 (opportunity→close 20–30%); with after-sales ≈ 0.9 the
end-to-end conversion of an average lead is about 8%. Default durations sum to 50 days for an
average prospect; ``duration_factor`` stretches them by customer type so that sales cycles run
about 20 days (small business) to 120 days (enterprise), matching the 14–30 / 30–90 / 90–180 day
ranges of §11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crmsim._validation import check_choice
from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import FrozenMap, NamedParams, Params, param, section
from crmsim.terms import CHANNELS, CUSTOMER_TYPES, STEPS

#: The nine development steps, the four prospecting channels and the customer types.
STEP_NAMES = STEPS
CHANNEL_NAMES = CHANNELS

#: Steps at which a commission scheme's closing push applies.
CLOSING_STEPS: tuple[str, ...] = ("objections", "agreement")


@section("channels")
@dataclass(frozen=True)
class ChannelParams(NamedParams):
    """One prospecting channel (获客渠道): how many leads it brings, at what cost and quality."""

    name: str = param("referral", unit="-", doc="Channel name: " + ", ".join(CHANNEL_NAMES) + ".")
    leads_per_month: float | None = param(
        None, unit="leads/month",
        doc="Base arrival rate of leads (a Poisson process). Not given: the channel's default "
        "rate for the 600-customer bundled company, scaled to the initial book's size, for any "
        "book (synthetic, a file's or a TOML file's book.n_customers) - see ChannelParams.rate.",
    )
    leads_per_stable_customer: float = param(
        0.0,
        unit="leads/month per customer in stability",
        doc="Extra arrival rate per customer in the stability stage (referrals grow with the "
        "number of stable, committed customers).",
    )
    cost_per_lead: float = param(30.0, unit="CNY/lead", doc="Cost of acquiring one lead.")
    quality: float = param(
        0.5, unit="0-1", doc="Mean lead quality (0.5 is average); raises step pass probabilities."
    )
    quality_spread: float = param(
        0.3, unit="0-1", doc="Width of the uniform spread of lead quality around its mean."
    )

    def _validate(self, prefix: str) -> None:
        check_choice(f"{prefix}.name", self.name, CHANNEL_NAMES)
        if self.leads_per_month is not None:
            self._number(prefix, "leads_per_month", minimum=0)
        self._number(prefix, "leads_per_stable_customer", minimum=0)
        self._number(prefix, "cost_per_lead", minimum=0)
        self._probability(prefix, "quality")
        self._probability(prefix, "quality_spread")


    def rate(self, book_customers: int) -> float:
        """Leads per month for a book of *book_customers* customers at the start: the rate
        given, or the channel's default scaled to the book (:data:`DEFAULT_LEADS_PER_MONTH` x
        customers / :data:`LEADS_REFERENCE_CUSTOMERS`), one mechanism for every kind of book.

        Examples
        --------
        >>> ChannelParams("telemarketing").rate(300), ChannelParams("referral", 7.0).rate(300)
        (30.0, 7.0)
        """
        if self.leads_per_month is not None:
            return float(self.leads_per_month)
        scaled = DEFAULT_LEADS_PER_MONTH[self.name] * book_customers / LEADS_REFERENCE_CUSTOMERS
        return round(scaled, 6)


#: Default lead rates per channel, for a book of LEADS_REFERENCE_CUSTOMERS customers.
DEFAULT_LEADS_PER_MONTH: dict[str, float] = {
    "referral": 2.0, "market_research": 20.0, "telemarketing": 60.0, "lead_platform": 45.0,
}  # fmt: skip
#: The book size the default lead rates are sized for (the bundled company).
LEADS_REFERENCE_CUSTOMERS = 600


def default_channels() -> tuple[ChannelParams, ...]:
    """Default channels; their lead rates scale with the book (:meth:`ChannelParams.rate`)."""
    return (
        ChannelParams("referral", None, 0.02, 30.0, 0.75, 0.3),
        ChannelParams("market_research", None, 0.0, 150.0, 0.55, 0.3),
        ChannelParams("telemarketing", None, 0.0, 20.0, 0.30, 0.3),
        ChannelParams("lead_platform", None, 0.0, 40.0, 0.40, 0.3),
    )


@section("funnel.steps")
@dataclass(frozen=True)
class StepParams(NamedParams):
    """One step of the development funnel: manager work, prospect delay and pass probability."""

    name: str = param("find", unit="-", doc="Step name: " + ", ".join(STEP_NAMES) + ".")
    pass_probability: float = param(
        0.8,
        unit="probability",
        doc="Chance that an average lead (quality 0.5) worked by an average manager (skill 0.7) "
        "passes the step.",
    )
    work_hours: float = param(1.0, unit="manager hours", doc="Account-manager time the step takes.")
    mean_days: float = param(
        5.0,
        unit="days",
        doc="Mean time (exponential) the prospect takes to respond after the manager's work, "
        "before the step's outcome is known; scaled by funnel.duration_factor.",
    )

    def _validate(self, prefix: str) -> None:
        check_choice(f"{prefix}.name", self.name, STEP_NAMES)
        self._probability(prefix, "pass_probability")
        self._number(prefix, "work_hours", minimum=0)
        self._number(prefix, "mean_days", minimum=0)


def default_steps() -> tuple[StepParams, ...]:
    """Default steps (probabilities grouped to match domain.md §11 ranges; see module doc)."""
    rows = (
        ("find", 0.75, 0.5, 2.0),
        ("contact", 0.70, 0.5, 3.0),
        ("prepare", 0.95, 1.5, 2.0),
        ("approach", 0.75, 1.5, 5.0),
        ("needs", 0.85, 2.0, 6.0),
        ("presentation", 0.70, 3.0, 7.0),
        ("objections", 0.65, 2.0, 7.0),
        ("agreement", 0.60, 2.0, 8.0),
        ("after_sales", 0.90, 1.5, 10.0),
    )
    return tuple(StepParams(*row) for row in rows)


@section("funnel")
@dataclass(frozen=True)
class FunnelParams(Params):
    """Lead handling in the nine-step development funnel (客户开发流程, domain.md §5)."""

    steps: tuple[StepParams, ...] = param(
        unit="-", doc="The nine steps, keyed by name.", factory=default_steps
    )
    fixed_probabilities: bool = param(
        False,
        unit="true/false",
        doc="If true, every step passes with exactly its pass_probability, whatever the "
        "manager's skill, the lead's quality or the incentive scheme (used to check the model "
        "against the product of step probabilities).",
    )
    skill_effect: float = param(
        2.0,
        unit="log-odds per unit of skill",
        doc="How much a manager's skill above 0.7 raises the log-odds of passing a step.",
    )
    quality_effect: float = param(
        2.5,
        unit="log-odds per unit of quality",
        doc="How much lead quality above 0.5 raises the log-odds of passing a step.",
    )
    patience_days: float = param(
        30.0,
        unit="days",
        doc="Mean (exponential) time a lead waits for a busy manager before going cold; "
        "0 means leads wait for ever.",
    )
    duration_factor: FrozenMap = param(
        unit="multiplier",
        doc="Per customer type, multiplies every step's mean_days (sales cycles: small "
        "business 14-30 days, mid-market 30-90, enterprise 90-180).",
        factory=lambda: FrozenMap(
            small_business=0.4,
            retail_store=0.7,
            school_government=1.6,
            hospital=1.8,
            enterprise=2.4,
        ),
    )
    wallet_spread: float = param(
        0.5,
        unit="log-scale standard deviation",
        doc="A new prospect copies the profile of a random customer of the book (a referral: "
        "of a stable customer); its annual wallet is that customer's times a lognormal factor "
        "with this spread.",
    )

    warm_start_months: float = param(
        0.0,
        unit="months",
        doc="Leads already in progress when the run starts: the leads that arrived in this many "
        "months before the start and are still in the funnel then (they passed the steps "
        "their time allowed, with their own luck) continue from the step they are in; 0 starts "
        "with an empty funnel, whose first customers come after a sales cycle. A calibrated "
        "scenario starts warm, as a running business does.",
    )

    _named_items = {"steps": StepParams}
    _maps = {"duration_factor": (CUSTOMER_TYPES, "number")}

    def _validate(self, prefix: str) -> None:
        names = tuple(step.name for step in self.steps)
        if names != STEP_NAMES:
            raise ParameterError(
                f"parameter '{prefix}.steps' must list the nine steps {list(STEP_NAMES)} in order; "
                f"got {list(names)}"
            )
        for step in self.steps:
            step._validate(f"{prefix}.steps['{step.name}']")
        self._bool(prefix, "fixed_probabilities")
        self._number(prefix, "skill_effect")
        self._number(prefix, "quality_effect")
        self._number(prefix, "patience_days", minimum=0)
        self._map(prefix, "duration_factor")
        self._number(prefix, "wallet_spread", minimum=0)
        self._number(prefix, "warm_start_months", minimum=0, maximum=24)

    def step(self, name: str) -> StepParams:
        """The step called *name*."""
        for step in self.steps:
            if step.name == name:
                return step
        raise ParameterError(f"unknown funnel step {name!r}; known: {list(STEP_NAMES)}")

    def conversion(self) -> float:
        """Product of the nine pass probabilities (end-to-end conversion with fixed odds).

        Examples
        --------
        >>> round(FunnelParams().conversion(), 4)
        0.0781
        """
        return math.prod(step.pass_probability for step in self.steps)


def logit(p: float) -> float:
    """Log-odds of *p*, finite for p in [0, 1] (clipped to 1e-9 from the ends)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def pass_probability(
    base: float,
    skill: float,
    quality: float,
    *,
    skill_effect: float,
    quality_effect: float,
    push: float = 0.0,
) -> float:
    """Step pass probability for a manager of *skill* and a lead of *quality*.

    ``logit(p) = logit(base) + skill_effect (skill - 0.7) + quality_effect (quality - 0.5) + push``

    Examples
    --------
    >>> pass_probability(0.6, 0.7, 0.5, skill_effect=2.0, quality_effect=2.5)
    0.6
    """
    if base <= 0.0 or base >= 1.0:
        return base
    x = logit(base) + skill_effect * (skill - 0.7) + quality_effect * (quality - 0.5) + push
    if x == logit(base):
        return base
    return 1.0 / (1.0 + math.exp(-x))
