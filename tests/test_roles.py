"""Roles: employee, comms adviser, administrator; the adviser group and make_adviser."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from officehours.accounts.roles import adviser_grant
from officehours.permissions import ADVISER_GROUP, is_adviser, is_employee, roles_of
from tests.people import make_user


@pytest.mark.django_db
def test_the_adviser_group_is_created_by_migration_with_its_permission():
    group = Group.objects.get(name=ADVISER_GROUP)
    assert list(group.permissions.values_list("codename", flat=True)) == ["access_adviser_pages"]


@pytest.mark.django_db
def test_roles_of_each_persona(employee, adviser):
    assert roles_of(employee) == ["employee"]
    assert roles_of(adviser) == ["employee", "adviser"]
    admin = make_user("admin@example.se", is_staff=True)
    assert roles_of(admin) == ["employee", "administrator"]


@pytest.mark.django_db
def test_an_unverified_or_inactive_user_is_not_an_employee():
    unverified = make_user("new@example.se", verified=False, adviser=True)
    assert not is_employee(unverified)
    assert not is_adviser(unverified)
    inactive = make_user("gone@example.se", is_active=False, adviser=True)
    assert roles_of(inactive) == []


def test_anonymous_has_no_roles():
    assert roles_of(AnonymousUser()) == []


@pytest.mark.django_db
def test_make_adviser_grants_and_removes_the_role(employee, capsys):
    call_command("make_adviser", "ANNA@example.se")
    employee = type(employee).objects.get(pk=employee.pk)  # fresh permission cache
    assert is_adviser(employee)
    assert "is now a comms adviser" in capsys.readouterr().out
    call_command("make_adviser", employee.email)
    assert "was already" in capsys.readouterr().out
    call_command("make_adviser", employee.email, "--remove")
    employee = type(employee).objects.get(pk=employee.pk)
    assert not is_adviser(employee)
    assert "no longer" in capsys.readouterr().out


@pytest.mark.django_db
def test_make_adviser_names_an_unknown_address():
    with pytest.raises(CommandError, match="No user has the e-mail address"):
        call_command("make_adviser", "nobody@example.se")


@pytest.mark.django_db
def test_the_adviser_page_is_for_advisers_only(client, employee, adviser):
    url = reverse("adviser_home")
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))

    client.force_login(employee)
    outsider = client.get(url)
    assert outsider.status_code == 403
    assert "Du har inte åtkomst" in outsider.content.decode()

    client.force_login(adviser)
    response = client.get(url)
    assert response.status_code == 200
    assert "rut@example.se" in response.content.decode()


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_do(client, employee, adviser):
    client.force_login(employee)
    body = client.get(reverse("home")).content.decode()
    assert reverse("adviser_home") not in body
    assert reverse("admin:index") not in body
    client.force_login(adviser)
    body = client.get(reverse("home")).content.decode()
    assert reverse("adviser_home") in body
    assert reverse("admin:index") not in body


@pytest.mark.django_db
def test_the_admin_is_for_administrators_only(client, adviser):
    client.force_login(adviser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin's own login
    admin = make_user("admin@example.se", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["series", "session", "booking", "waitlistentry"])
def test_the_booking_admin_pages_open(client, model):
    admin = make_user("admin@example.se", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse(f"admin:booking_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:booking_{model}_add")).status_code in (200, 403)


@pytest.mark.django_db
def test_a_deleted_advisers_group_comes_back_with_its_permission():
    Group.objects.filter(name=ADVISER_GROUP).delete()
    user = make_user("ny.radgivare@example.se")
    adviser_grant(user=user)
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert is_adviser(user)
