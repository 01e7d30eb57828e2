"""Granting and removing the comms adviser role."""

from django.contrib.auth.models import Group, Permission

from officehours.accounts.models import User
from officehours.permissions import ADVISER_GROUP, ADVISER_PERMISSION


def adviser_group() -> Group:
    """The advisers' group, with its permission. Created by migration accounts.0002;
    made again here, permission included, if someone deleted it by hand."""
    group, created = Group.objects.get_or_create(name=ADVISER_GROUP)
    if created:
        app_label, codename = ADVISER_PERMISSION.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)
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
