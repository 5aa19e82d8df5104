"""Signing staff in: Django's model backend, with each request's user and permissions
read in one query instead of three."""

from django.contrib.auth import backends, get_user_model
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, Value
from django.db.models.functions import Concat


def _codes(relation: str):
    """Every "app_label.codename" the user holds through ``relation``, as one array."""
    return ArrayAgg(
        Concat(f"{relation}__content_type__app_label", Value("."), f"{relation}__codename"),
        distinct=True,
        filter=Q(**{f"{relation}__isnull": False}),
        default=Value([]),
    )


class ModelBackend(backends.ModelBackend):
    """Loads the signed-in user with the permissions of their own and of their groups.

    Django's backend reads the user, then, on the first permission check of the
    request, the user's permissions and their groups' in two more queries. The
    admin checks permissions on every page, so the three become one; nothing is
    kept beyond the request, so a change of role applies at the next request.
    """

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.filter(pk=user_id)
            .annotate(
                own_codes=_codes("user_permissions"),
                group_codes=_codes("groups__permissions"),
            )
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        # The caches ModelBackend.get_*_permissions() fill and read.
        user._user_perm_cache = set(user.own_codes)
        user._group_perm_cache = set(user.group_codes)
        user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user
