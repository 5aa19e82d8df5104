"""TOTP two-factor login for staff: off by default, and with ADMIN_REQUIRE_OTP the admin
admits only staff who entered a current token from a confirmed device at login.
"""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # conftest.staff_in's


@pytest.fixture
def require_otp(settings):
    settings.ADMIN_REQUIRE_OTP = True


def device_for(user, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def current_token(device: TOTPDevice) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def wrong_token(device: TOTPDevice) -> str:
    return f"{(int(current_token(device)) + 1) % 10**device.digits:0{device.digits}d}"


def log_in(client, user, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": reverse("admin:index"), **extra},
    )


def reaches_index(client) -> bool:
    response = client.get(reverse("admin:index"))
    if response.status_code != 200:
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("admin:login")
        )
        return False
    page = response.content.decode()
    assert "Cyberdiplo editing" in page  # the site's header is kept
    assert 'id="dashboard"' in page  # and the editorial dashboard on the index
    return True


# -- Off (the default): the password is enough -------------------------------------


def test_off_by_default_a_password_login_reaches_the_admin(client, editor, settings):
    assert settings.ADMIN_REQUIRE_OTP is False
    response = client.get(reverse("admin:login"))
    assert 'name="otp_token"' not in response.content.decode()
    response = log_in(client, editor)
    assert response.status_code == 302
    assert reaches_index(client)


def test_off_a_device_does_not_get_in_the_way(client, editor):
    device_for(editor)
    assert log_in(client, editor).status_code == 302
    assert reaches_index(client)


# -- On: a token from a confirmed device is needed --------------------------------


def test_on_the_login_form_asks_for_a_token(client, require_otp):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'name="otp_token"' in response.content.decode()


def test_on_a_password_only_session_does_not_reach_the_admin(client, editor, require_otp):
    device_for(editor)
    client.force_login(editor)  # a session as a password-only login leaves it
    assert not reaches_index(client)
    change_list = client.get(reverse("admin:norms_norm_changelist"))
    assert change_list.status_code == 302


def test_on_staff_without_a_device_cannot_log_in(client, editor, require_otp):
    response = log_in(client, editor, otp_token="123456")
    assert response.status_code == 200  # the form again, with an error
    assert "errornote" in response.content.decode()
    assert not reaches_index(client)


def test_on_password_and_current_token_reach_the_index(client, editor, require_otp):
    device = device_for(editor)
    response = log_in(
        client, editor, otp_device=device.persistent_id, otp_token=current_token(device)
    )
    assert response.status_code == 302, response.content.decode()
    assert reaches_index(client)


def test_on_one_device_need_not_be_picked(client, editor, require_otp):
    device = device_for(editor)
    assert log_in(client, editor, otp_token=current_token(device)).status_code == 302
    assert reaches_index(client)


def test_on_with_two_devices_the_token_is_checked_against_the_chosen_one(
    client, editor, require_otp
):
    phone, spare = device_for(editor), device_for(editor)
    assert log_in(client, editor, otp_token=current_token(phone)).status_code == 200
    response = log_in(
        client, editor, otp_device=spare.persistent_id, otp_token=current_token(phone)
    )
    assert response.status_code == 200
    assert not reaches_index(client)
    response = log_in(
        client, editor, otp_device=phone.persistent_id, otp_token=current_token(phone)
    )
    assert response.status_code == 302
    assert reaches_index(client)


def test_on_another_users_device_is_no_way_in(client, editor, reviewer, require_otp):
    theirs = device_for(reviewer)
    response = log_in(
        client, editor, otp_device=theirs.persistent_id, otp_token=current_token(theirs)
    )
    assert response.status_code == 200
    assert not reaches_index(client)


def test_on_a_wrong_token_is_refused(client, reviewer, require_otp):
    device = device_for(reviewer)
    response = log_in(client, reviewer, otp_token=wrong_token(device))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not reaches_index(client)


def test_on_no_token_is_refused(client, reviewer, require_otp):
    device_for(reviewer)
    assert log_in(client, reviewer).status_code == 200
    assert not reaches_index(client)


def test_on_an_unconfirmed_device_is_refused(client, editor, require_otp):
    device = device_for(editor, confirmed=False)
    assert log_in(client, editor, otp_token=current_token(device)).status_code == 200
    assert not reaches_index(client)


def test_on_a_token_is_not_accepted_twice(client, editor, require_otp):
    device = device_for(editor)
    token = current_token(device)
    assert log_in(client, editor, otp_token=token).status_code == 302
    client.logout()
    assert log_in(client, editor, otp_token=token).status_code == 200
    assert not reaches_index(client)


def test_on_failed_passwords_still_lock_the_account(client, admin_user, require_otp):
    device = device_for(admin_user)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": admin_user.username, "password": "wrong"})
    response = client.post(
        url,
        {
            "username": admin_user.username,
            "password": "password",
            "otp_token": current_token(device),
        },
    )
    assert response.status_code == 429
    assert "locked" in response.content.decode()


# -- Devices are managed by administrators ----------------------------------------


def test_editors_and_reviewers_cannot_manage_devices(client, editor, reviewer):
    device = device_for(editor)
    for user in (editor, reviewer):
        client.force_login(user)
        for url in (
            reverse("admin:otp_totp_totpdevice_changelist"),
            reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
            reverse("admin:otp_totp_totpdevice_config", args=[device.pk]),
            reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]),
        ):
            assert client.get(url).status_code == 403, (user, url)


def test_an_administrator_gives_staff_a_device_and_its_qr_code(admin_user_client, editor):
    add_url = reverse("admin:otp_totp_totpdevice_add")
    key = admin_user_client.get(add_url).context["adminform"].form["key"].value()
    assert len(key) == 40  # the add form offers a fresh random key
    response = admin_user_client.post(
        add_url,
        {
            "user": editor.pk,
            "name": "Edith's phone",
            "confirmed": "on",
            "key": key,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    device = TOTPDevice.objects.get(user=editor)
    assert response.status_code == 302
    assert device.confirmed
    config = admin_user_client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))
    assert config.status_code == 200
    page = config.content.decode()
    assert 'alt="QR code' in page
    assert "otpauth://totp/" in page and "Cyberdiplo" in page
    image = admin_user_client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/svg+xml"
    assert b"<svg" in image.content


def test_an_unknown_device_answers_404(admin_user_client):
    for name in ("config", "qrcode"):
        url = reverse(f"admin:otp_totp_totpdevice_{name}", args=[999999])
        assert admin_user_client.get(url).status_code == 404, url
