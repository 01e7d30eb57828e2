"""Granting and removing the comms adviser role."""

from django.contrib.auth.models import Group

from officehours.accounts.models import User
from officehours.permissions import ADVISER_GROUP


def adviser_group() -> Group:
    # Created by migration accounts.0002; get_or_create keeps a hand-deleted group from breaking.
    group, _ = Group.objects.get_or_create(name=ADVISER_GROUP)
    return group


def adviser_grant(*, user: User) -> bool:
    """Makes the user a comms adviser. Returns False if they already were."""
    group = adviser_group()
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    return True


def adviser_revoke(*, user: User) -> bool:
    """Takes the adviser role away. Returns False if they did not have it."""
    group = adviser_group()
    if not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    return True
