import pytest
from sqlmodel import select

from anpr_gov.core.db import read_only
from anpr_gov.models import AuditEvent, User
from anpr_gov.policy import Role
from anpr_gov.services import users
from anpr_gov.services.errors import NotFound, PermissionDenied, ValidationFailed

NON_ADMINS = ["manager", "senior", "staff", "investigator", "foi", "standards", "auditor"]


@pytest.mark.parametrize("username", NON_ADMINS)
def test_every_other_role_is_refused_account_management_and_the_refusal_is_audited(actors, username):
    actor = actors[username]
    calls = [
        lambda: users.list_users(actor),
        lambda: users.create_user(actor, "newbie", "New Person", "a-long-password-1", ["staff"]),
        lambda: users.set_roles(actor, username, ["admin"]),
        lambda: users.unlock(actor, "staff"),
        lambda: users.set_active(actor, "staff", False),
        lambda: users.reset_password(actor, "staff", "another-long-password"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    with read_only() as session:
        refusals = session.exec(select(AuditEvent).where(AuditEvent.outcome == "refused",
                                                          AuditEvent.actor_name == username)).all()
        assert len(refusals) == len(calls)
        assert session.exec(select(User).where(User.username == "newbie")).first() is None


def test_anonymous_is_refused(demo):
    with pytest.raises(PermissionDenied, match="sign in"):
        users.list_users(None)


def test_admin_creates_an_account_with_several_roles(actors):
    account = users.create_user(actors["admin"], "J.Smith", "Jo Smith", "a-long-password-1",
                                ["staff", "investigator"], "esx")
    assert account.username == "j.smith" and account.force == "ESX"
    assert account.roles == ["investigator", "staff"]


def test_create_reports_every_bad_field_and_saves_nothing(actors):
    with pytest.raises(ValidationFailed) as exc:
        users.create_user(actors["admin"], "x", " ", "short", [], "ZZZ")
    assert set(exc.value.fields) == {"username", "full_name", "password", "roles", "force"}
    with pytest.raises(ValidationFailed, match="Unknown role"):
        users.create_user(actors["admin"], "valid.name", "Valid", "a-long-password-1", ["chief"])
    with pytest.raises(ValidationFailed, match="already exists"):
        users.create_user(actors["admin"], "staff", "Dup", "a-long-password-1", ["staff"])
    assert len(users.list_users(actors["admin"])) == 8


def test_set_roles_validates_and_protects_the_admin_themselves(actors):
    with pytest.raises(ValidationFailed):
        users.set_roles(actors["admin"], "staff", [])
    with pytest.raises(ValidationFailed, match="own administrator"):
        users.set_roles(actors["admin"], "admin", ["staff"])
    with pytest.raises(NotFound):
        users.set_roles(actors["admin"], "ghost", ["staff"])
    assert users.set_roles(actors["admin"], "foi", [Role.FOI_OFFICER, Role.AUDITOR]).roles == ["auditor", "foi_officer"]


def test_account_changes_are_audited(actors):
    admin = actors["admin"]
    users.create_user(admin, "new.person", "New Person", "a-long-password-1", ["staff"])
    users.set_roles(admin, "new.person", ["investigator"])
    users.set_active(admin, "new.person", False)
    users.reset_password(admin, "new.person", "another-long-password")
    with read_only() as session:
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.actor_name == "admin"))]
    assert actions[-4:] == ["account.create", "account.set_roles", "account.disable", "account.reset_password"]
