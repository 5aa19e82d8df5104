"""Country profiles (after the countries they describe)."""

from content.writers.base import Writer, entry_values
from profiles.models import CountryProfile


def write_rows(writer: Writer) -> None:
    def values(record):
        return {**entry_values(record), "country_id": writer.pk("country", record.data["country"])}

    writer.upsert(CountryProfile, writer.content.profiles.values(), values)


def write_links(writer: Writer) -> None:
    """A profile has no links of its own."""
