import django.db.models.deletion
from django.db import migrations, models


def unschedule_cancelled(apps, schema_editor):
    """Questions still pointing at a cancelled booking become unscheduled (issue 17)."""
    Question = apps.get_model("questions", "Question")
    cancelled = Question.objects.filter(booking__isnull=False).exclude(booking__status="active")
    cancelled.update(unscheduled_from=models.F("booking"), booking=None)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0007_drop_booking_read_functions"),
        ("questions", "0005_remove_unused_notified_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="unscheduled_from",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="unscheduled_questions",
                to="booking.booking",
            ),
        ),
        migrations.RunPython(unschedule_cancelled, migrations.RunPython.noop),
    ]
