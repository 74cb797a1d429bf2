"""Withdrawal (撤稿) and DocumentValidity (文件效力), as they were in the workflow app: state only,
their tables (govsite_workflow_withdrawal, govsite_workflow_documentvalidity) already exist."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('govsite_content', '0001_initial'),
        ('govsite_workflow', '0003_move_lifecycle_to_content'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DocumentValidity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('有效', '有效'), ('失效', '失效'), ('废止', '废止'), ('已修改', '已修改')], default='有效', max_length=6, verbose_name='效力状态')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('changed_at', models.DateTimeField(auto_now=True)),
                        ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='validity', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('replaced_by', models.ForeignKey(blank=True, help_text='修改后的文件或取代它的新文件。', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='替代文件')),
                    ],
                    options={
                        'verbose_name': '文件效力',
                        'verbose_name_plural': '文件效力',
                        'db_table': 'govsite_workflow_documentvalidity',
                    },
                ),
                migrations.CreateModel(
                    name='Withdrawal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('mode', models.CharField(choices=[('notice', '显示撤稿说明'), ('gone', '返回 410（已删除）并显示说明'), ('redirect', '跳转到替代页面')], default='notice', max_length=10, verbose_name='撤稿后的处理')),
                        ('reason', models.TextField(help_text='向公众显示，如：该信息已过时，已撤回。', verbose_name='撤稿说明')),
                        ('withdrawn_at', models.DateTimeField(auto_now_add=True)),
                        ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='withdrawal', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('replacement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='替代页面')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '撤稿',
                        'verbose_name_plural': '撤稿',
                        'db_table': 'govsite_workflow_withdrawal',
                    },
                ),
            ],
        ),
    ]
