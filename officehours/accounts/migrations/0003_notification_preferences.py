import secrets

from django.db import migrations, models

import officehours.accounts.models


def give_tokens(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(calendar_token__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(calendar_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_adviser_group")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_reminders",
            field=models.BooleanField(default=True, verbose_name="reminders before my bookings"),
        ),
        migrations.AddField(
            model_name="user",
            name="email_digests",
            field=models.BooleanField(
                default=True, verbose_name="advisers' digest the day before a session"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(
                default=officehours.accounts.models.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
    ]
