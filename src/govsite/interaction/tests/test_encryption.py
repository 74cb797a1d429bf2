"""留言 personal data at rest (等保 E8): no plaintext in the columns, lookup by phone, rotation, bad keys."""

from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from govsite.core import crypto
from govsite.interaction.models import Message
from govsite.testing import run_data_migration, stored_columns

from .helpers import HOST, form_data, new_message

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
NEW = Fernet.generate_key().decode()
COLUMNS = ("phone", "email", "phone_hash")
MIGRATION = "govsite.interaction.migrations.0004_encrypt_personal_data"


def stored(message: Message) -> dict[str, str]:
    return stored_columns(Message, message.pk, COLUMNS)


def assert_no_plaintext(row: dict[str, str], *plain: str) -> None:
    text = " ".join(row.values())
    for value in plain:
        assert value not in text and value.split("@")[0] not in text


def test_a_message_from_the_public_form_is_stored_encrypted(client, kjt_site):
    response = client.post(
        "/liuyan/", form_data(kjt_site, phone="13812345678", email="zhang@example.com"), HTTP_HOST=HOST
    )
    assert response.status_code == 302
    message = Message.objects.get(origin_site=kjt_site, subject="关于科技型中小企业评价的咨询")
    row = stored(message)
    assert_no_plaintext(row, "13812345678", "12345678", "zhang@example.com")
    assert row["phone_hash"] == crypto.lookup_hash("13812345678")
    assert message.phone == "13812345678" and message.email == "zhang@example.com"


def test_every_stored_message_has_no_plaintext_contact(kjt_site):
    new_message(kjt_site, phone="13900001111", email="li@example.com")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone, email FROM {Message._meta.db_table}")
        rows = cursor.fetchall()
    assert rows
    for phone, email in rows:
        assert phone.startswith("gAAAAA") and not any(ch.isdigit() for ch in phone[:6])
        assert email == "" or (email.startswith("gAAAAA") and "@" not in email)


def test_the_handler_finds_a_writers_messages_by_phone(client, kjt_site, kjt_handler):
    mine, _ = new_message(kjt_site, phone="13811112222", subject="第一封")
    again, _ = new_message(kjt_site, phone="138-1111-2222", subject="第二封")
    other, _ = new_message(kjt_site, phone="13933334444", subject="别人的")
    client.force_login(kjt_handler)
    html = client.post("/admin/messages/", {"phone": "138 1111 2222"}).content.decode()
    assert mine.number in html and again.number in html and other.number not in html
    assert "13811112222" not in html and "138****2222" in html  # still masked in the list


def test_rotation_re_encrypts_every_row_with_the_newest_key(settings, kjt_site):
    message, _ = new_message(kjt_site, phone="13955556666", email="wang@example.com")
    before = stored(message)
    settings.GOVSITE_PII_KEYS = [NEW, crypto.demo_key()]  # a new key in front: the old still decrypts
    assert Message.objects.get(pk=message.pk).phone == "13955556666"
    settings.GOVSITE_PII_HASH_KEY = "a-new-lookup-key"
    call_command("pii", "rotate", stdout=SimpleNamespace(write=lambda *a, **k: None))
    after = stored(message)
    assert after["phone"] != before["phone"] and after["email"] != before["email"]
    settings.GOVSITE_PII_KEYS = [NEW]  # the old key removed: everything still reads
    assert {m.phone for m in Message.objects.filter(phone_hash=crypto.lookup_hash("13955556666"))} == {
        "13955556666"
    }
    call_command("pii", "rotate", stdout=SimpleNamespace(write=lambda *a, **k: None))  # again: no change
    assert stored(message) == after


def test_a_missing_key_is_a_clear_message_for_the_admin_and_no_traceback_for_the_public(
    settings, client, kjt_site, kjt_handler
):
    message, code = new_message(kjt_site)
    settings.GOVSITE_PII_KEYS = [NEW]  # the key that wrote the message is gone
    public = client.post("/liuyan/cx/", {"number": message.number, "code": code}, HTTP_HOST=HOST)
    assert public.status_code == 503 and "Traceback" not in public.content.decode()
    assert "GOVSITE_PII_KEYS" not in public.content.decode()
    client.force_login(kjt_handler)
    admin = client.get(f"/admin/messages/{message.pk}/")
    assert admin.status_code == 503 and "GOVSITE_PII_KEYS" in admin.content.decode()


def test_the_migration_encrypts_existing_rows_and_its_reverse_restores_them(kjt_site):
    message, _ = new_message(kjt_site, phone="13977778888", email="zhao@example.com")
    table = Message._meta.db_table
    with connection.cursor() as cursor:  # the row as it was stored before the migration
        cursor.execute(
            f"UPDATE {table} SET phone = %s, email = %s, phone_hash = '' WHERE id = %s",
            ["13977778888", "zhao@example.com", message.pk],
        )
    run_data_migration(MIGRATION, "encrypt_rows")
    row = stored(message)
    assert_no_plaintext(row, "13977778888", "zhao@example.com")
    assert row["phone_hash"] == crypto.lookup_hash("13977778888")
    assert Message.objects.get(pk=message.pk).email == "zhao@example.com"
    run_data_migration(MIGRATION, "decrypt_rows")
    assert stored(message)["phone"] == "13977778888" and stored(message)["email"] == "zhao@example.com"
