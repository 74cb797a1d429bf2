"""索引号 counters move to the shared per-site sequence. The last values are carried into `govsite_sites.SiteSequence`
(name "opengov.index_number"), then the app's own counter table goes. Reversible."""

from django.db import migrations

from govsite.sites.sequences import carry_counter


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_opengov", "0002_seed_taxonomies"),
        ("govsite_sites", "0003_site_sequence"),
    ]

    operations = [
        carry_counter("govsite_opengov", "IndexCounter", "opengov.index_number"),
        migrations.DeleteModel(name="IndexCounter"),
    ]
