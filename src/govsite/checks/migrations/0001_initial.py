"""The checks models, as they were in the workflow app: state only, their tables already exist."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        ('govsite_workflow', '0002_move_checks_to_checks_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Leader',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=20, verbose_name='姓名')),
                        ('title', models.CharField(help_text='多个职务用顿号分隔，如：党组书记、厅长。', max_length=100, verbose_name='职务')),
                        ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leaders', to='wagtailcore.site', verbose_name='站点')),
                    ],
                    options={
                        'verbose_name': '领导',
                        'verbose_name_plural': '领导姓名职务',
                        'db_table': 'govsite_workflow_leader',
                        'ordering': ['site', 'sort_order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PageCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('findings', models.JSONField(default=list)),
                        ('checked_at', models.DateTimeField(auto_now=True)),
                        ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='content_check', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
                    ],
                    options={
                        'verbose_name': '发布前检查结果',
                        'verbose_name_plural': '发布前检查结果',
                        'db_table': 'govsite_workflow_pagecheck',
                    },
                ),
                migrations.CreateModel(
                    name='CheckOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=400)),
                        ('message', models.CharField(max_length=400, verbose_name='问题')),
                        ('reason', models.TextField(verbose_name='放行理由')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='check_overrides', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '检查问题放行记录',
                        'verbose_name_plural': '检查问题放行记录',
                        'db_table': 'govsite_workflow_checkoverride',
                        'permissions': [('override_checks', '可以在审核中放行阻止发布的检查问题')],
                        'constraints': [models.UniqueConstraint(fields=('page', 'key'), name='unique_override')],
                    },
                ),
                migrations.CreateModel(
                    name='WordRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('sensitive', '敏感词'), ('wording', '规范表述')], default='sensitive', max_length=12, verbose_name='类型')),
                        ('word', models.CharField(max_length=100, verbose_name='词语或错误表述')),
                        ('suggestion', models.CharField(blank=True, max_length=200, verbose_name='建议或正确表述')),
                        ('severity', models.CharField(choices=[('blocking', '阻止发布'), ('warning', '提醒')], default='blocking', max_length=10, verbose_name='处理方式')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('site', models.ForeignKey(blank=True, help_text='留空则适用于全平台所有网站。', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='word_rules', to='wagtailcore.site', verbose_name='站点')),
                    ],
                    options={
                        'verbose_name': '错敏词',
                        'verbose_name_plural': '错敏词库',
                        'db_table': 'govsite_workflow_wordrule',
                        'ordering': ['kind', 'word'],
                        'constraints': [models.UniqueConstraint(fields=('site', 'kind', 'word'), name='unique_word_rule')],
                    },
                ),
            ],
        ),
    ]
