"""Country profiles (issue 13): what a state's cyber policy rests on, in a few sourced
facts: its current national cyber strategy and when it was adopted, and the agencies
that lead. A state's positions on international law and its memberships are records of
their own, shown beside the profile on the country page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import PartialDateField, partial_date_constraint
from core.models import (
    Entry,
    EntryQuerySet,
    published_index,
    search_index,
    search_vector_field,
    title_index,
    title_vector_field,
)


class ProfileQuerySet(EntryQuerySet):
    def for_card(self):
        return super().for_card().select_related("country")

    def for_export(self):
        return super().for_export().select_related("country")

    def for_api(self):
        return super().for_api().select_related("country")

    def for_detail(self, user):
        return super().for_detail(user).select_related("country")


class CountryProfile(Entry):
    """A state's cyber policy in brief: its national strategy and its lead agencies."""

    url_name = "profiles:detail"
    list_date_field, list_date_label = "strategy_adopted", "Strategy adopted"

    country = models.OneToOneField(
        "reference.Country", on_delete=models.PROTECT, related_name="profile"
    )
    strategy = models.CharField(
        max_length=300, blank=True, help_text="The title of the current national cyber strategy."
    )
    strategy_adopted = PartialDateField(help_text="When the current strategy was adopted.")
    lead_agencies = models.CharField(
        max_length=600,
        blank=True,
        help_text="The agencies that lead, each with its role, separated by semicolons.",
    )
    search_vector = search_vector_field("title", "strategy", "lead_agencies")
    title_vector = title_vector_field("title", "strategy", "lead_agencies")

    objects = ProfileQuerySet.as_manager()

    # Its own columns; its country is an export column (a country, not a record).
    public_fields = ("strategy", "strategy_adopted", "lead_agencies")

    class Meta(Entry.Meta):
        verbose_name = _("country profile")
        ordering = ["title", "pk"]
        permissions = [("publish_countryprofile", "Can publish, unpublish and archive")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="countryprofile_slug_unique"),
            partial_date_constraint("strategy_adopted", "countryprofile_strategy_iso"),
        ]
        indexes = [
            search_index("countryprofile"),
            title_index("countryprofile"),
            published_index("countryprofile"),
            models.Index("status", models.F("updated").desc(), name="countryprofile_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def agencies(self) -> list[str]:
        return [a.strip() for a in self.lead_agencies.split(";") if a.strip()]
