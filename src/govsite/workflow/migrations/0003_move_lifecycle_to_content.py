"""Withdrawal (撤稿) and DocumentValidity (文件效力) move to the content app (govsite_content).

State only: their tables stay as they are (the content models keep these table names), so no row is
copied or lost. Their content types follow in govsite_content 0003.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('govsite_workflow', '0002_move_checks_to_checks_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Withdrawal'),
                migrations.DeleteModel(name='DocumentValidity'),
            ],
        ),
    ]
