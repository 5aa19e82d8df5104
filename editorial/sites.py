"""The admin site, with TOTP two-factor login for staff when ``ADMIN_REQUIRE_OTP`` is on.

The setting is read on each request, not at import, so that a deploy (or a test)
switches it without rebuilding the site and its registry.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import site as default_site
from django.shortcuts import get_object_or_404
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class OneStepOTPLoginForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form; staff with a single device need not pick it.

    django-otp asks for the device after a first post of the password (so that a
    token is never tried against every device); with one confirmed device there is
    nothing to pick, and password and token go in one post.
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


class EditorialAdminSite(OTPAdminSite):
    """django-otp's ``OTPAdminSite`` when ``ADMIN_REQUIRE_OTP`` is on, Django's site when off.

    On, staff who have not entered a token from a confirmed device in this session
    are treated as not staff (sent to the login form, which then asks for the token).
    """

    @property
    def login_form(self):
        return OneStepOTPLoginForm if settings.ADMIN_REQUIRE_OTP else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_OTP else None

    def has_permission(self, request) -> bool:
        if settings.ADMIN_REQUIRE_OTP:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)


class EditorialTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin; an unknown device id answers 404, not 500."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


def install() -> None:
    """Make ``admin.site`` (Django's default instance, with every registration) this site."""
    default_site.__class__ = EditorialAdminSite
    default_site.unregister(TOTPDevice)
    default_site.register(TOTPDevice, EditorialTOTPDeviceAdmin)
