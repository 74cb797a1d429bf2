"""留言编号 counters move to the shared per-site sequence (name "interaction.message_number"), like the
受理编号 and 索引号 before them; the app's own counter table goes. Reversible."""

from django.db import migrations

from govsite.sites.sequences import carry_counter


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_interaction", "0001_messages"),
        ("govsite_sites", "0003_site_sequence"),
    ]

    operations = [
        carry_counter("govsite_interaction", "MessageCounter", "interaction.message_number"),
        migrations.DeleteModel(name="MessageCounter"),
    ]
