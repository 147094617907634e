"""SQLModel tables, one module per area. Importing this package registers every table on SQLModel.metadata.

All datetimes are timezone-aware UTC (see anpr_gov.core.clock). Enumerated fields are stored as short strings and
validated by the services against the enums in anpr_gov.policy, which keeps migrations simple.
"""

from sqlmodel import SQLModel

from anpr_gov.models.access import AccessAuthorisation, AuditEvent, AuditHead
from anpr_gov.models.disclosure import Complaint, FOIRequest, NADCSubmission
from anpr_gov.models.estate import Camera, Consultation, LocationProposal, LocationReview, PIARisk, PrivacyImpactAssessment
from anpr_gov.models.people import Force, SignInSession, User, UserRole
from anpr_gov.models.reads import Hit, HotlistEntry, Read

metadata = SQLModel.metadata

__all__ = [
    "AccessAuthorisation", "AuditEvent", "AuditHead", "Camera", "Complaint", "Consultation", "FOIRequest", "Force",
    "Hit", "HotlistEntry", "LocationProposal", "LocationReview", "NADCSubmission", "PIARisk",
    "PrivacyImpactAssessment", "Read", "SignInSession", "User", "UserRole", "metadata",
]
