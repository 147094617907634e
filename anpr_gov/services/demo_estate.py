"""Demo camera estate across the three forces, made through the real services so every step is audited and the
timelines look real: cameras in each state (in date, due soon, overdue, suspended, under review, decommissioned,
relocated) and proposals at each stage of the workflow, with PIAs and consultations. Dates are relative to today:
the steps are replayed in date order with the clock set to each step's time.

CAM-NVL-001 (A61 Northgate, fixed, force NVL) is always active and in date: the demo worker feeds reads into it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only
from anpr_gov.models import Camera, LocationProposal, User, UserRole
from anpr_gov.policy import Role
from anpr_gov.services import cameras, estate
from anpr_gov.services.actor import Actor

PIA_TEXT = {
    "processing_description": "Number plates of passing vehicles are read, with a plate patch and an overview image, "
                              "checked against hotlists at once and kept for 12 months; routine access 90 days.",
    "necessity": "Analysis of recorded crime shows vehicles are used to commit and escape from offences on this route; "
                 "patrols alone have not reduced it.",
    "proportionality": "One carriageway only; no view of homes or gardens; reads older than 90 days need a senior "
                       "officer's authorisation.",
    "mitigations": "Field of view set to the carriageway; role-based access; every search audited; signage at both ends.",
    "residual_risk": "low",
    "dpo_advice": "Proportionate if the field of view is kept to the carriageway. Review signage at 6 months.",
}
RISKS = [
    ("Collateral intrusion: vehicles of residents and visitors read on every journey", 4, 2,
     "Retention 12 months; access limited by role and audited"),
    ("Misread plate leads to a wrong stop", 2, 4, "Officers confirm the plate against the image before acting"),
]
CONSULTATIONS = [
    {"consultee_type": "council", "consultee_name": "{area} Town Council", "method": "meeting",
     "response_summary": "Supportive; asked how long data is kept.",
     "concerns": "Retention of residents' journeys.", "force_response": "Kept 12 months; 90-day routine access; "
                                                                        "older reads need authorisation."},
    {"consultee_type": "residents", "consultee_name": "{area} residents (letter drop, 240 homes)", "method": "letter",
     "response_summary": "14 replies: 11 in favour, 3 against.", "concerns": "Camera facing houses.",
     "force_response": "The camera faces the carriageway only; masking applied."},
]


@dataclass
class Site:
    force: str
    title: str
    lat: float | None
    lon: float | None
    road: str
    categories: list[str]
    evidence: str
    deployment: str = "fixed"
    vehicle: str = ""
    patrol_area: str = ""
    incidents: int = 30
    # days before today of each step reached; the stage reached is the last one given
    steps: dict[str, int] = field(default_factory=dict)
    review: tuple[int, str] | None = None  # (days ago the review is opened, decision or "" to leave it open)

    def data(self) -> dict:
        return {"title": self.title, "force": self.force, "deployment": self.deployment,
                "latitude": "" if self.lat is None else str(self.lat),
                "longitude": "" if self.lon is None else str(self.lon), "road": self.road,
                "site_description": f"Column-mounted camera on {self.road or self.patrol_area}, facing the "
                                    "carriageway." if self.deployment == "fixed" else "",
                "vehicle": self.vehicle, "patrol_area": self.patrol_area, "categories": self.categories,
                "evidence_of_need": self.evidence, "incidents_count": str(self.incidents),
                "incidents_period_months": "12"}


def _path(commissioned_days_ago: int) -> dict[str, int]:
    """A full path ending at commissioning ``commissioned_days_ago`` days before today."""
    c = commissioned_days_ago
    return {"create": c + 60, "submit": c + 58, "assessment": c + 55, "pia": c + 45, "consultation": c + 40,
            "consulted": c + 30, "decision": c + 20, "approve": c + 12, "commission": c}


def _upto(commissioned_days_ago: int, last: str) -> dict[str, int]:
    full = _path(commissioned_days_ago)
    keys = list(full)
    return {k: full[k] for k in keys[:keys.index(last) + 1]}


SERIOUS, LOCAL, PREVENTION = "serious_organised_crime", "local_crime", "crime_prevention"
TERROR, REASSURANCE = "national_security", "community_reassurance"

SITES = [
    # CAM-NVL-001: the first camera commissioned in NVL, reviewed and retained 135 days ago: active, in date.
    Site("NVL", "A61 Northgate, southbound", 53.8008, -1.5491, "A61 Northgate", [SERIOUS, LOCAL],
         "Vehicle crime on the A61 corridor up 40% in a year; two vehicles linked to organised crime use the route "
         "nightly.", incidents=37, steps=_path(500), review=(140, "retain")),
    Site("NVL", "M62 junction 27 slip road", 53.7406, -1.6420, "M62 J27 westbound exit", [SERIOUS, TERROR],
         "Strategic road network access used by travelling criminals; regional counter-terrorism priority.",
         incidents=52, steps=_path(380)),  # review 15 days overdue, within the grace period
    Site("NVL", "Mobile unit NV-12, city centre", None, None, "", [LOCAL, REASSURANCE],
         "Night-time economy thefts and vehicle crime in the city centre; the unit moves with the hotspots.",
         deployment="mobile", vehicle="Van NV-12 (marked)", patrol_area="Northvale city centre and ring road",
         incidents=64, steps=_path(350)),  # due in 15 days
    Site("ESX", "A12 Colchester bypass, northbound", 51.9012, 0.9321, "A12 northbound", [SERIOUS],
         "Cross-border acquisitive crime using the A12.", incidents=41, steps=_path(420)),  # suspended
    Site("ESX", "Harbour Road, Eastport", 51.9560, 1.3510, "Harbour Road", [SERIOUS, TERROR],
         "Port access: organised immigration crime and drugs importation.", incidents=19, steps=_path(362),
         review=(4, "")),  # under review, due in 3 days
    Site("ESX", "B1029 Brightlingsea road", 51.8310, 1.0150, "B1029", [LOCAL, PREVENTION],
         "Rural burglary series using the only road into the village.", incidents=23, steps=_path(90)),
    Site("WMR", "B3212 moor road", 50.6150, -3.9200, "B3212", [LOCAL],
         "Livestock and plant theft in 2024.", incidents=9, steps=_path(700), review=(340, "decommission")),
    Site("WMR", "Westmoor town centre, Fore Street", 50.9500, -3.1000, "Fore Street", [LOCAL, REASSURANCE],
         "Town-centre vehicle crime; the hotspot has moved to the bus station.", incidents=28, steps=_path(600),
         review=(250, "relocate")),
    Site("WMR", "A30 Westmoor services", 50.7300, -3.5300, "A30 eastbound", [SERIOUS, PREVENTION],
         "Fuel theft and cross-force travelling criminals at the services.", incidents=33, steps=_path(100)),
    Site("WMR", "A38 Westmoor bridge", 50.9100, -3.0500, "A38 bridge approach", [SERIOUS],
         "Drug supply lines cross the county on the A38.", incidents=29, steps=_path(386)),  # 20 days overdue
    Site("NVL", "A64 York Road, outbound", 53.8100, -1.4800, "A64 York Road", [LOCAL, PREVENTION],
         "Catalytic-converter thefts; offenders leave by the A64.", incidents=47, steps=_path(440)),  # suspended
    Site("WMR", "Mobile unit WM-3, rural patrol", None, None, "", [LOCAL, REASSURANCE],
         "Rural crime across the moor's farms and villages.", deployment="mobile", vehicle="Car WM-3 (unmarked)",
         patrol_area="North Westmoor rural parishes", incidents=18, steps=_path(360), review=(2, "")),
    # Proposals at each stage before commissioning
    Site("NVL", "Market Street, Northvale", None, None, "", [], "", steps={"create": 2}),
    Site("ESX", "Station Approach, Eastport", 51.9470, 1.2870, "Station Approach", [LOCAL, REASSURANCE],
         "Theft from vehicles at the station car park.", incidents=45, steps=_upto(-40, "submit")),
    Site("WMR", "A39 coast road, Westcombe", 51.1800, -3.4000, "A39", [LOCAL],
         "Summer-season vehicle crime at the coast car parks.", incidents=21, steps=_upto(-45, "assessment")),
    Site("NVL", "Ring road east, junction 4", 53.7900, -1.4900, "Ring road east", [SERIOUS, LOCAL],
         "Vehicles used in a burglary series leave by junction 4.", incidents=26, steps=_upto(-28, "consulted")),
    Site("ESX", "Eastshire Retail Park entrance", 51.8800, 0.9000, "Retail Park Way", [PREVENTION, LOCAL],
         "Shoplifting gangs travel by car between retail parks.", incidents=58, steps=_upto(-17, "decision")),
    Site("WMR", "Westmoor hospital approach", 51.0100, -3.1000, "Hospital Approach", [REASSURANCE, PREVENTION],
         "Thefts of and from staff vehicles; staff asked for it.", incidents=17, steps=_upto(-9, "approve")),
]
# One rejected proposal.
REJECTED = Site("NVL", "Quiet Lane, Northvale (residential)", 53.8200, -1.5800, "Quiet Lane", [REASSURANCE],
                "Residents asked for reassurance after two thefts.", incidents=2, steps=_upto(60, "decision"))


def _actor(username: str) -> Actor:
    with read_only() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        roles = frozenset(Role(r) for r in session.exec(select(UserRole.role).where(UserRole.user_id == user.id)))
    return Actor(id=user.id, username=user.username, full_name=user.full_name, roles=roles, force_id=user.force_id)


def _schedule(site: Site, manager: Actor, senior: Actor, now: datetime, plan: list, reject: bool = False) -> None:
    """Add (when, order, step) for each step of ``site`` to ``plan``."""
    ids: dict[str, int] = {}
    at = lambda days, hours=0: now - timedelta(days=days) + timedelta(hours=hours)  # noqa: E731
    s = site.steps

    def pia_id() -> int:
        return estate.get_proposal(manager, ids["p"]).pia.id

    def camera_id() -> int:
        return estate.get_proposal(manager, ids["p"]).camera_id

    def create():
        ids["p"] = estate.save_draft(manager, None, site.data())

    def pia():
        pid = pia_id()
        estate.save_pia(manager, pid, PIA_TEXT)
        for text, likelihood, severity, mitigation in RISKS:
            estate.add_risk(manager, pid, text, likelihood, severity, mitigation)
        estate.sign_off_pia(manager, pid)

    def consulted():
        area = site.title.split(",")[0]
        for i, template in enumerate(CONSULTATIONS):
            data = {**template, "consultee_name": template["consultee_name"].format(area=area),
                    "held_on": (clock.today() - timedelta(days=3 + 4 * i)).isoformat()}
            estate.add_consultation(manager, ids["p"], data)

    steps: dict[str, Callable[[], object]] = {
        "create": create,
        "submit": lambda: estate.submit(manager, ids["p"]),
        "assessment": lambda: estate.start_assessment(manager, ids["p"]),
        "pia": pia,
        "consultation": lambda: estate.start_consultation(manager, ids["p"]),
        "consulted": consulted,
        "decision": lambda: estate.request_decision(manager, ids["p"]),
        "approve": lambda: estate.decide(senior, ids["p"], True, "Necessary and proportionate for the stated "
                                                                   "purposes; PIA and consultation considered."),
        "commission": lambda: estate.commission(manager, ids["p"]),
    }
    for name, days in s.items():
        assert days >= 0, f"{site.title}: step {name} would be in the future"
        plan.append((at(days, 9), len(plan), steps[name]))
    if reject:
        plan.append((at(s["decision"] - 6, 10), len(plan), lambda: estate.decide(
            senior, ids["p"], False, "Two thefts do not make ANPR necessary; neighbourhood patrols and crime "
                                     "prevention advice are the proportionate answer.")))
    if site.review:
        opened, decision = site.review

        def open_review():
            ids["r"] = cameras.open_review(manager, camera_id())

        def complete():
            review = cameras.get_review(manager, ids["r"])
            estate.save_pia(manager, review.pia.id, {**PIA_TEXT, "mitigations": PIA_TEXT["mitigations"] +
                                                     " Signage checked at review."})
            estate.sign_off_pia(manager, review.pia.id)
            findings = {
                "retain": ("Still needed: hits on stolen and organised-crime vehicles continue.",
                           "No complaints; field of view unchanged."),
                "relocate": ("Crime has moved to the bus station; this site no longer justifies a camera.",
                             "Relocation reduces intrusion on Fore Street residents."),
                "decommission": ("Rural theft series ended; no need remains.", "Decommissioning ends the intrusion."),
            }[decision]
            cameras.complete_review(manager, ids["r"], decision, *findings)

        plan.append((at(opened, 10), len(plan), open_review))
        if decision:
            plan.append((at(opened - 5, 11), len(plan), complete))


def load() -> int:
    """Create the demo estate unless proposals already exist. Returns the number of proposals created."""
    with read_only() as session:
        if session.exec(select(LocationProposal)).first() is not None:
            return 0
    manager, senior = _actor("manager"), _actor("senior")
    previous = clock._frozen  # noqa: SLF001  (restored below: tests may have frozen the clock)
    now = clock.now()
    plan: list = []
    for site in SITES:
        _schedule(site, manager, senior, now, plan)
    _schedule(REJECTED, manager, senior, now, plan, reject=True)
    try:
        for when, _, step in sorted(plan, key=lambda item: (item[0], item[1])):
            clock.freeze(when)
            step()
    finally:
        clock.freeze(previous)
    cameras.suspend_overdue_cameras()
    with read_only() as session:
        first = session.exec(select(Camera).where(Camera.reference == "CAM-NVL-001")).one()
        assert first.status == "active" and first.deployment == "fixed"
        return len(session.exec(select(LocationProposal)).all())
