"""Once made PostgreSQL functions for the booking path; the booking path now reads
with ordinary queries after taking its locks (LOCKING.md), so this migration does
nothing, and 0007 drops the functions from databases that ran it before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("booking", "0002_notification_preferences")]

    operations: list[migrations.operations.base.Operation] = []
