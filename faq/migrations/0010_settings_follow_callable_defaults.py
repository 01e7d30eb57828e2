"""Defaults that follow the settings are callables (officehours.model_defaults).

Only Django's state changes: Django keeps Python-side defaults out of the schema,
and on SQLite an AlterField would remake the table (dropping faq_entry's search
triggers) for nothing.
"""

import officehours.model_defaults
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('faq', '0009_entry_view_days'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='entry',
                    name='language',
                    field=models.CharField(choices=[('sv', 'Swedish'), ('en', 'English')], default=officehours.model_defaults.language_code, max_length=10, verbose_name='language'),
                ),
            ],
            database_operations=[],
        ),
    ]
