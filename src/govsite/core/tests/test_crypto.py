"""Personal data at rest (等保 E8): the encrypted field, rotation of a value, lookup hashes, the checks."""

import secrets

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from govsite.core import crypto
from govsite.core.checks import pii_keys_well_formed
from govsite.core.tests.test_security import run_deploy_check

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_a_value_is_stored_as_a_token_that_differs_every_time(settings):
    settings.GOVSITE_PII_KEYS = [NEW]
    field = crypto.EncryptedTextField(max_length=30)
    first, second = field.get_prep_value("13812345678"), field.get_prep_value("13812345678")
    assert "13812345678" not in first and first != second
    assert field.from_db_value(first, None, connection) == "13812345678"
    assert field.get_prep_value("") == "" and field.from_db_value("", None, connection) == ""


def test_an_old_key_still_decrypts_and_rotation_leaves_only_the_new_one_needed(settings):
    settings.GOVSITE_PII_KEYS = [OLD]
    token = crypto.encrypt("150102199003071234")
    settings.GOVSITE_PII_KEYS = [NEW, OLD]
    assert crypto.decrypt(token) == "150102199003071234"
    rotated = crypto.current_token(token)
    assert rotated != token and crypto.current_token(rotated) == rotated  # idempotent
    settings.GOVSITE_PII_KEYS = [NEW]
    assert crypto.decrypt(rotated) == "150102199003071234"
    with pytest.raises(crypto.PIIKeyError, match="GOVSITE_PII_KEYS"):
        crypto.decrypt(token)


def test_equality_lookups_are_refused_on_the_encrypted_field():
    """A token differs on every write: `phone=…` would silently match nothing, so it is an error."""
    field = crypto.EncryptedTextField()
    assert field.get_lookup("exact") is None and field.get_lookup("icontains") is None
    assert field.get_lookup("isnull") is not None


def test_the_lookup_hash_is_keyed_and_normalised(settings):
    settings.GOVSITE_PII_HASH_KEY = "one"
    assert crypto.lookup_hash("0471-632 8766") == crypto.lookup_hash("04716328766")
    assert crypto.lookup_hash("15010219900307123x") == crypto.lookup_hash("15010219900307123X")
    assert crypto.lookup_hash("") == ""
    before = crypto.lookup_hash("13812345678")
    settings.GOVSITE_PII_HASH_KEY = "two"
    assert crypto.lookup_hash("13812345678") != before


def test_a_malformed_key_fails_the_system_check_without_showing_it(settings):
    settings.GOVSITE_PII_KEYS = ["not-a-fernet-key-but-a-secret"]
    [error] = pii_keys_well_formed()
    assert error.id == "govsite.E801" and "not-a-fernet-key" not in error.msg


def test_check_deploy_refuses_the_demo_personal_data_keys(tmp_path):
    production = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GOVSITE_HTTPS": "1",
        "ALLOWED_HOSTS": "kjt.nmg.gov.cn",
    }
    result = run_deploy_check(tmp_path, **production, GOVSITE_PII_KEYS=None, GOVSITE_PII_HASH_KEY=None)
    assert result.returncode != 0
    assert "govsite.E802" in result.stderr and "govsite.E803" in result.stderr
