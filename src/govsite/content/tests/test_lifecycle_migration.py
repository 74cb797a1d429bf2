"""Moving 撤稿 and 文件效力 out of workflow keeps their rows, permissions and log entries.

Runs in a child process on its own SQLite database (a copy of the session's database migrated up to
govsite_workflow 0001, conftest's `database_before_the_moves`): it migrates to the state before the
move, stores a withdrawal, a group allowed to change withdrawals and a log entry on it, then
migrates the app forward and inspects what survived.
"""

import textwrap
from pathlib import Path

import pytest

from govsite.testing import cli_env, copy_var_dir, run_python

# Always on SQLite in a child process (DATABASE_URL dropped): the same in both database passes, so the
# PostgreSQL pass skips it (`make test-db` deselects `platform`).
pytestmark = pytest.mark.platform

SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "govsite_workflow", "0002", verbosity=0)
    call_command("migrate", "govsite_content", "0001", verbosity=0)
    state = ("govsite_workflow", "0002_move_checks_to_checks_app")
    old = MigrationExecutor(connection).loader.project_state(state).apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.auth.management import create_permissions
    from django.apps import apps as installed
    for label in ("contenttypes", "auth", "govsite_workflow"):
        config = installed.get_app_config(label)  # what post_migrate sends, with the old models
        create_contenttypes(config, verbosity=0, apps=old)
        create_permissions(config, verbosity=0, apps=old)
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    Group = old.get_model("auth", "Group")
    Page = old.get_model("wagtailcore", "Page")
    locale = old.get_model("wagtailcore", "Locale").objects.first()
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    page = Page.objects.create(
        title="旧稿", slug="old", path="00019999", depth=2, content_type=page_type, locale=locale
    )
    withdrawal = old.get_model("govsite_workflow", "Withdrawal").objects.create(page=page, reason="已过时。")
    old.get_model("govsite_workflow", "DocumentValidity").objects.create(page=page, status="废止")
    group = Group.objects.create(name="撤稿管理")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="govsite_workflow", codename="change_withdrawal")
    )
    withdrawal_type = ContentType.objects.get(app_label="govsite_workflow", model="withdrawal")

    # The app up to its latest migration, with what that depends on (not every app: no other app's
    # migration touches these tables), so the models imported below match their tables.
    (leaf,) = MigrationExecutor(connection).loader.graph.leaf_nodes("govsite_content")
    call_command("migrate", *leaf, verbosity=0)

    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from govsite.content.models import DocumentValidity, Withdrawal
    ContentType.objects.clear_cache()  # as in a new process: this one cached types before the move
    assert Withdrawal.objects.get(pk=withdrawal.pk).reason == "已过时。"
    assert DocumentValidity.objects.get(page_id=page.pk).status == "废止"
    relabelled = ContentType.objects.get(pk=withdrawal_type.pk)
    assert relabelled.app_label == "govsite_content", relabelled.app_label
    granted = set(Group.objects.get(name="撤稿管理").permissions.values_list(
        "content_type__app_label", "codename"))
    assert granted == {("govsite_content", "change_withdrawal")}, granted
    assert Permission.objects.filter(codename="change_withdrawal").count() == 1, "duplicate permission"
    assert ContentType.objects.get_for_model(Withdrawal).pk == withdrawal_type.pk, "a second content type"
    print("MIGRATION-OK")
    """
)


def test_rows_permissions_and_content_types_survive_the_move(
    tmp_path: Path, database_before_the_moves: Path
) -> None:
    copy_var_dir(database_before_the_moves, tmp_path)
    assert "MIGRATION-OK" in run_python(cli_env(tmp_path), SCRIPT, cwd=tmp_path)
