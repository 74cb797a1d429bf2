"""WordRule, Leader, PageCheck and CheckOverride move to the checks app (govsite_checks).

State only: their tables stay as they are (the checks models keep these table names), so no row is
copied or lost. The 放行 permission moves along with them (see govsite_checks 0002).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('govsite_workflow', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='siteworkflow',
            options={'permissions': [('urgent_publish', '可以紧急发布（发布后补审）')], 'verbose_name': '站点审核流程', 'verbose_name_plural': '站点审核流程'},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='leader',
                    name='site',
                ),
                migrations.RemoveField(
                    model_name='pagecheck',
                    name='page',
                ),
                migrations.RemoveField(
                    model_name='pagecheck',
                    name='revision',
                ),
                migrations.RemoveField(
                    model_name='wordrule',
                    name='site',
                ),
                migrations.DeleteModel(
                    name='CheckOverride',
                ),
                migrations.DeleteModel(
                    name='Leader',
                ),
                migrations.DeleteModel(
                    name='PageCheck',
                ),
                migrations.DeleteModel(
                    name='WordRule',
                ),
            ],
        ),
    ]
