"""Login guessing spread over many addresses, or over many usernames, is limited too.

django-axes alone locked a username + address pair only: an attacker with many addresses could
guess one official's password without end, and one address could try every username.
"""

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from govsite.testing import DEMO_PASSWORD

if TYPE_CHECKING:
    from govsite.testing import ClientResponse

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
LOCKOUT_TEXT = "账户已临时锁定"


@pytest.fixture(autouse=True)
def limits(settings) -> None:
    """Smaller limits than the defaults (20 and 30) keep the tests short; the rules are the same."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.GOVSITE_LOGIN_ACCOUNT_LIMIT = 8
    settings.GOVSITE_LOGIN_ADDRESS_LIMIT = 10


def login(client: Client, username: str, password: str, address: str) -> "ClientResponse":
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in_as(client: Client, username: str) -> bool:
    return client.session.get("_auth_user_id") == str(get_user_model().objects.get(username=username).pk)


def test_failures_for_one_account_from_many_addresses_lock_the_account(client: Client):
    limit = settings.GOVSITE_LOGIN_ACCOUNT_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        response = login(client, "kjt-editor", f"guess-{n}", f"198.51.100.{n + 1}")
        assert LOCKOUT_TEXT not in response.content.decode() or n == limit - 1, n
    # From a fresh address, even the right password is refused, with the Chinese lockout page.
    response = login(Client(), "kjt-editor", DEMO_PASSWORD, "203.0.113.200")
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()
    # Other accounts are not affected.
    other = Client()
    assert login(other, "jyt-editor", DEMO_PASSWORD, "203.0.113.201").status_code == 302
    assert logged_in_as(other, "jyt-editor")


def test_a_locked_account_still_signs_in_from_its_usual_address(client: Client):
    """The legitimate pair path: an address the official logged in from before keeps working."""
    desk = "192.0.2.10"
    usual = Client()
    assert login(usual, "kjt-editor", DEMO_PASSWORD, desk).status_code == 302
    usual.logout()
    for n in range(settings.GOVSITE_LOGIN_ACCOUNT_LIMIT):
        login(client, "kjt-editor", f"guess-{n}", f"198.51.100.{n + 1}")
    assert login(Client(), "kjt-editor", DEMO_PASSWORD, "203.0.113.200").status_code == 429
    # At the desk: a couple of typos, then the right password.
    assert login(usual, "kjt-editor", "typo", desk).status_code == 200
    response = login(usual, "kjt-editor", DEMO_PASSWORD, desk)
    assert response.status_code == 302
    assert logged_in_as(usual, "kjt-editor")
    # The attacker's failures are not wiped by the official's success.
    assert login(Client(), "kjt-editor", DEMO_PASSWORD, "203.0.113.202").status_code == 429


def test_failures_for_many_accounts_from_one_address_lock_the_address(client: Client):
    limit = settings.GOVSITE_LOGIN_ADDRESS_LIMIT
    attacker = "198.51.100.77"
    for n in range(limit):
        login(client, f"user-{n}", "guess", attacker)
    # Every username is refused from that address, a real one with its right password too...
    response = login(client, "jyt-editor", DEMO_PASSWORD, attacker)
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ...and nowhere else.
    other = Client()
    assert login(other, "jyt-editor", DEMO_PASSWORD, "198.51.100.78").status_code == 302


def test_a_valid_account_cannot_reset_its_address_count(client: Client):
    """Logging in with an account one owns forgets that account's failures, not the address's."""
    attacker = "198.51.100.90"
    limit = settings.GOVSITE_LOGIN_ADDRESS_LIMIT
    for n in range(limit - 1):
        login(client, f"user-{n}", "guess", attacker)
    assert login(client, "jyt-editor", DEMO_PASSWORD, attacker).status_code == 302
    client.logout()
    login(client, "user-last", "guess", attacker)
    assert login(client, "kjt-editor", DEMO_PASSWORD, attacker).status_code == 429


def test_the_pair_limit_still_applies_below_the_other_limits(client: Client):
    address = "198.51.100.50"
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "kjt-editor", f"guess-{n}", address)
    assert login(client, "kjt-editor", DEMO_PASSWORD, address).status_code == 429
    # The same account from another address, and another account from this one, still work.
    assert login(Client(), "kjt-editor", DEMO_PASSWORD, "198.51.100.51").status_code == 302
    assert login(Client(), "jyt-editor", DEMO_PASSWORD, address).status_code == 302
