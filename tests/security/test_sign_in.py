"""Admin sign-in: two-factor codes (TOTP) for staff, throttling after failed attempts, idle sessions,
and the admin under its configurable path."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": user.username, "password": password, "next": "/admin/"})


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True
    # django-otp slows retries after a wrong code (1 s, then 2 s...): the tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_two_factor_is_on_by_default_in_production_only(settings):
    from newsroom import settings as project_settings

    assert project_settings.ADMIN_REQUIRE_2FA is (not project_settings.DEBUG)


def test_staff_without_a_device_are_sent_to_enrolment(client, two_factor):
    user = factories.user(superuser=True)
    assert sign_in(client, user).status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://totp/" in html
    assert device.config_url.replace("&", "&amp;") in html
    assert 'src="data:image/svg+xml' in html


def test_enrolment_with_a_wrong_code_is_refused_and_a_right_one_confirms(client, two_factor):
    user = factories.user(superuser=True)
    sign_in(client, user)
    client.get(reverse("two-factor-enrol"))
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(reverse("two-factor-enrol"), {"token": "000000" if current_code(device) != "000000" else "1"})
    assert wrong.status_code == 200
    assert "Code incorrect" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    right = client.post(reverse("two-factor-enrol"), {"token": current_code(device), "next": "/admin/"})
    assert right.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_a_device_give_a_code_after_the_password(client, two_factor):
    user = factories.user(superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, user)
    response = client.get(reverse("admin:releases_release_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("admin:releases_release_changelist")).status_code == 302
    assert client.post(reverse("two-factor-verify"), {"token": "abcdef"}).status_code == 200
    changelist = reverse("admin:releases_release_changelist")
    done = client.post(reverse("two-factor-verify"), {"token": current_code(device), "next": changelist})
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:releases_release_changelist")
    assert client.get(reverse("admin:releases_release_changelist")).status_code == 200


def test_the_code_page_never_redirects_to_another_site(client, two_factor):
    user = factories.user(superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, user)
    done = client.post(reverse("two-factor-verify"), {"token": current_code(device), "next": "https://evil.example/"})
    assert done["Location"] == reverse("admin:index")


def test_without_the_setting_a_password_is_enough(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    user = factories.user(superuser=True)
    sign_in(client, user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_anonymous_visitors_and_public_pages_are_untouched(client, two_factor):
    assert client.get("/fr/").status_code == 200
    assert client.get(reverse("two-factor-verify")).status_code == 302  # to the sign-in page


def test_five_failures_lock_the_username_from_that_address_for_fifteen_minutes(client, settings):
    user = factories.user(superuser=True)
    for _attempt in range(4):
        response = sign_in(client, user, password="wrong password")
        assert response.status_code == 200
    locked = sign_in(client, user, password="wrong password")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, user).status_code == 429
    # Another address can still sign in with that account; another account from this address too.
    other = factories.user(superuser=True)
    assert sign_in(client, other).status_code == 302
    assert (
        client.post(
            reverse("admin:login"),
            {"username": user.username, "password": PASSWORD},
            REMOTE_ADDR="192.0.2.77",
        ).status_code
        == 302
    )


def test_the_lock_ends_after_the_cool_off(client, settings):
    import time_machine
    from django.utils import timezone

    user = factories.user(superuser=True)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _attempt in range(5):
            sign_in(client, user, password="wrong password")
        assert sign_in(client, user).status_code == 429
    with time_machine.travel(now + __import__("datetime").timedelta(minutes=16), tick=False):
        assert sign_in(client, user).status_code == 302


def test_sessions_end_after_idle_time_and_are_renewed_on_use(client, settings):
    from django.conf import settings as live

    assert live.SESSION_SAVE_EVERY_REQUEST is True
    assert live.SESSION_COOKIE_AGE <= 8 * 3600
    user = factories.user(superuser=True)
    client.force_login(user)
    first = client.get(reverse("admin:index"))
    assert first.cookies["sessionid"]["max-age"] == live.SESSION_COOKIE_AGE
    assert first.cookies["sessionid"]["httponly"]


def test_session_can_end_when_the_browser_closes(client, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    client.force_login(factories.user(superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.cookies["sessionid"]["max-age"] == ""


def test_the_admin_lives_under_its_configured_path(client, settings):
    from newsroom import urls

    settings.ADMIN_PATH = "redaction-7c1f/"
    try:
        clear_url_caches()
        importlib.reload(urls)
        with override_settings(ROOT_URLCONF=urls):
            assert reverse("admin:index") == "/redaction-7c1f/"
            assert client.get("/redaction-7c1f/login/").status_code == 200
            assert client.get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_PATH = "admin/"
        clear_url_caches()
        importlib.reload(urls)
    assert reverse("admin:index") == "/admin/"
