"""Demo hotlist and the plates of the bundled sample feed (some of which are on the hotlist), so that a new user
sees reads and hits arrive once the demo worker runs."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from anpr_gov.core import clock
from anpr_gov.models import HotlistEntry

# The sample feed's vehicles, in order (rendered by recognition.render.make_sample_feed).
SAMPLE_FEED_PLATES = ("AB12CDE", "KX19LMO", "YR21WPX", "BD51SMR", "LV70FTC", "GN66HUA", "M123ABC", "WU18ZKP")
SAMPLE_FEED_CAMERA = "CAM-NVL-001"

DEMO_HOTLIST = [
    # vrm, category, action, source, reason, days to expiry (None: no expiry)
    ("KX19LMO", "stolen", "stop", "PNC", "Reported stolen from Northvale retail park", None),
    ("BD51SMR", "no_insurance", "stop", "MIB", "No current insurance on the Motor Insurance Database", 30),
    ("GN66HUA", "serious_organised_crime", "monitor", "Regional organised crime unit", "Operation Larch: report only, do not stop", 90),
    ("T123XYZ", "missing_person", "report_only", "NVL control room", "Vehicle of a missing person", 14),
    ("FH09QRS", "wanted", "stop", "PNC", "Driver wanted on warrant", None),
]


def load(session: Session) -> int:
    """Add the demo hotlist entries that are missing; returns how many were added."""
    now = clock.now()
    existing = set(session.exec(select(HotlistEntry.vrm)).all())
    added = 0
    for vrm, category, action, source, reason, days in DEMO_HOTLIST:
        if vrm in existing:
            continue
        session.add(HotlistEntry(vrm=vrm, category=category, action=action, source=source, reason=reason,
                                 added_at=now, expires_at=now + timedelta(days=days) if days else None))
        added += 1
    return added
