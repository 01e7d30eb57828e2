"""Defaults that follow the settings are callables (officehours.model_defaults).

Only Django's state changes: Django keeps Python-side defaults out of the schema,
and on SQLite an AlterField would remake the table (dropping faq_entry's search
triggers) for nothing.
"""

import officehours.model_defaults
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_notification_preferences'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='language',
                    field=models.CharField(choices=[('sv', 'Swedish'), ('en', 'English')], default=officehours.model_defaults.language_code, help_text='Pages and e-mails to you use this language.', max_length=10, verbose_name='language'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='time_zone',
                    field=models.CharField(default=officehours.model_defaults.time_zone, max_length=64, verbose_name='time zone'),
                ),
            ],
            database_operations=[],
        ),
    ]
