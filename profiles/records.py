"""How the site presents country profiles: their record type, and the first section of
every country page."""

from core.registry import Column, CountrySection, RecordType, registry
from profiles.filters import ProfileFilter
from profiles.models import CountryProfile
from profiles.serializers import ProfileSerializer


def country_code(profile) -> str:
    return profile.country.code


def profile_of(country):
    return CountryProfile.objects.published().filter(country=country).order_by("pk")


def register() -> None:
    registry.register(
        RecordType(
            model=CountryProfile,
            key="profile",
            label="Country profiles",
            api_prefix="profiles",
            serializer=ProfileSerializer,
            filterset=ProfileFilter,
            list_url="profiles:list",
            columns=(Column("country", "ISO 3166-1 code of the state", country_code),),
            on_home=False,
        )
    )
    # First on the page: the profile says what the rest rests on.
    registry.country_sections.insert(
        0,
        CountrySection(label="Cyber policy in brief", template="profiles/_country_profile.html",
                       rows=profile_of),
    )  # fmt: skip
