"""After-sales service: service requests, maintenance contacts, complaints and praise.

Service requests (every one recorded and tracked, domain.md §7) arrive from each active customer as
a Poisson process whose monthly rate depends on the lifecycle stage. A request queues for
account-manager time — the customer's own manager's *farming* time (one request at a time, first
come first served), or, in a department with its own operations units, a shared pool of operations
staff — takes an exponential amount of work, and then, depending on the structure, an extra
coordination delay with other departments. A request resolved within ``response_target_days`` may
earn praise; a late one may bring a complaint.

Maintenance contacts (regular visits, calls) are the proactive part of after-sales: each month a
customer *needs* a number of contacts depending on its stage (more for key customers). The
manager's farming time left after service requests is spread over his customers in proportion
to need; the share of need met (coverage, capped at 1) drives satisfaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import FrozenMap, Params, param, section
from crmsim.terms import STAGES


@section("service")
@dataclass(frozen=True)
class ServiceParams(Params):
    """Service requests, response targets and maintenance contacts."""

    request_rate: FrozenMap = param(
        unit="requests/customer/month",
        doc="Rate of service requests (Poisson) by lifecycle stage.",
        factory=lambda: FrozenMap(exploration=0.4, formation=0.3, stability=0.25, decline=0.5),
    )
    request_hours: float = param(
        1.5, unit="manager hours", doc="Mean work per service request (exponential)."
    )
    response_target_days: float = param(
        2.0, unit="days",
        doc="A request resolved within this time counts as on time; for complex needs the "
        "target stretches with the work they take (x (1 + company.complexity_work x "
        "company.need_complexity)): a project is expected to take longer than a repeat order.",
    )
    late_complaint_probability: float = param(
        0.4, unit="probability", doc="Chance that a late request brings a complaint."
    )
    praise_probability: float = param(
        0.15,
        unit="probability",
        doc="Chance that an on-time request brings praise, times the server's skill.",
    )
    background_complaint_rate: float = param(
        0.01,
        unit="probability/customer/month",
        doc="Complaints about product or delivery, whatever the service.",
    )
    maintenance_contacts: FrozenMap = param(
        unit="contacts/customer/month",
        doc="Maintenance contacts a customer needs per month, by stage.",
        factory=lambda: FrozenMap(exploration=2.0, formation=1.5, stability=1.0, decline=2.5),
    )
    maintenance_hours: float = param(
        2.0, unit="manager hours", doc="Manager time per maintenance contact."
    )
    key_contact_factor: float = param(
        1.5,
        unit="multiplier",
        doc="Key customers (allocation.key_customer_share by wallet) need this many times the "
        "contacts of others.",
    )

    _maps = {
        "request_rate": (STAGES, "number"),
        "maintenance_contacts": (STAGES, "number"),
    }

    def _validate(self, prefix: str) -> None:
        self._map(prefix, "request_rate")
        self._number(prefix, "request_hours", minimum=0)
        self._number(prefix, "response_target_days", minimum=0)
        self._probability(prefix, "late_complaint_probability")
        self._probability(prefix, "praise_probability")
        self._probability(prefix, "background_complaint_rate")
        self._map(prefix, "maintenance_contacts")
        self._number(prefix, "maintenance_hours", minimum=0)
        self._number(prefix, "key_contact_factor", minimum=0)
