"""DocumentText now belongs to govsite_content (checks read it too): state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("govsite_search", "0006_grant_hot_word_permissions")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="DocumentText")]),
    ]
