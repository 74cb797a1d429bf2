"""依申请公开 personal data at rest (等保 E8): no plaintext in the columns, lookup by phone, the migration."""

import pytest
from django.db import connection

from govsite.core import crypto
from govsite.disclosure.models import DisclosureRequest
from govsite.testing import run_data_migration, stored_columns

from .helpers import VALID_ID, application, new_case

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
HOST = "kjt.localhost"
COLUMNS = ("id_number", "phone", "email", "address", "id_number_hash", "phone_hash")
MIGRATION = "govsite.disclosure.migrations.0005_encrypt_personal_data"
PLAIN = {
    "id_number": VALID_ID,
    "phone": "13812345678",
    "email": "zhang@example.com",
    "address": "新城区某街 1 号",
}


def assert_no_plaintext(case: DisclosureRequest) -> dict[str, str]:
    row = stored_columns(DisclosureRequest, case.pk, COLUMNS)
    text = " ".join(row.values())
    for value in (*PLAIN.values(), "12345678", "19491231", "zhang@", "新城区"):
        assert value not in text
    return row


def test_an_application_from_the_public_form_is_stored_encrypted(client, kjt_site):
    response = client.post("/yisqgk/", application(**PLAIN), HTTP_HOST=HOST)
    assert response.status_code == 302
    case = DisclosureRequest.objects.exclude(number__contains="-900").get()
    row = assert_no_plaintext(case)
    assert row["id_number_hash"] == crypto.lookup_hash(VALID_ID.lower())
    assert row["phone_hash"] == crypto.lookup_hash("13812345678")
    assert {name: getattr(case, name) for name in PLAIN} == PLAIN


def test_the_handler_finds_an_applicants_cases_by_phone(client, kjt_site, kjt_handler):
    mine, _ = new_case(kjt_site, phone="13811112222")
    other, _ = new_case(kjt_site, phone="13933334444")
    client.force_login(kjt_handler)
    html = client.post("/admin/disclosure/", {"phone": "138-1111-2222"}).content.decode()
    assert mine.number in html and other.number not in html
    assert "13811112222" not in html and "138****2222" in html  # still masked in the list


def test_the_migration_encrypts_existing_rows_and_its_reverse_restores_them(kjt_site):
    case, _ = new_case(kjt_site, **PLAIN)
    DisclosureRequest.objects.filter(pk=case.pk).update(id_number_hash="", phone_hash="")
    assignments = ", ".join(f"{name} = %s" for name in PLAIN)
    with connection.cursor() as cursor:  # the row as it was stored before the migration
        cursor.execute(
            f"UPDATE {DisclosureRequest._meta.db_table} SET {assignments} WHERE id = %s",
            [*PLAIN.values(), case.pk],
        )
    run_data_migration(MIGRATION, "encrypt_rows")
    row = assert_no_plaintext(case)
    assert row["phone_hash"] == crypto.lookup_hash("13812345678") and row["id_number_hash"]
    fresh = DisclosureRequest.objects.get(pk=case.pk)
    assert {name: getattr(fresh, name) for name in PLAIN} == PLAIN
    run_data_migration(MIGRATION, "decrypt_rows")
    assert {
        name: value
        for name, value in stored_columns(DisclosureRequest, case.pk, COLUMNS).items()
        if name in PLAIN
    } == PLAIN
