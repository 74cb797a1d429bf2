"""受理编号 counters move to the shared per-site sequence. The last values are carried into `govsite_sites.SiteSequence`
(name "disclosure.case_number"), then the app's own counter table goes. Reversible."""

from django.db import migrations

from govsite.sites.sequences import carry_counter


class Migration(migrations.Migration):
    dependencies = [
        ("govsite_disclosure", "0002_request_public_account"),
        ("govsite_sites", "0003_site_sequence"),
    ]

    operations = [
        carry_counter("govsite_disclosure", "CaseCounter", "disclosure.case_number"),
        migrations.DeleteModel(name="CaseCounter"),
    ]
