"""`manage.py sample_claims`: a random sample of the hard facts in ``data/`` for an
independent check against primary sources (issue 13: 60 claims, checked by someone who
wrote none of the records).

A claim is one value of a record or of one of its rows that a source can confirm or
refute: a date, a document symbol, an official quotation, a paragraph reference, a
count, a party's form of consent. Each is printed with where it is (file, record, row,
field) and the sources the record cites. The same seed draws the same sample from the
same files, so a check can be repeated and its sample shown.
"""

import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Fields that hold a fact a source states (besides dates).
FACT_FIELDS = {"symbol", "quotation", "reference", "parties_for_entry_into_force", "consent_kind"}
# Dates that say when the data was checked, not what happened.
NOT_FACTS = {"as_of", "status_as_of"}


@dataclass(frozen=True)
class Claim:
    where: str  # file [table] record > rows row
    field: str
    value: object
    sources: tuple[str, ...]


def _keys(sources) -> tuple[str, ...]:
    return tuple(s if isinstance(s, str) else s.get("source", "") for s in sources or ())


def _facts(table: dict, where: str, sources: tuple[str, ...]):
    for field, value in table.items():
        if field in NOT_FACTS or isinstance(value, dict | list) or value in ("", None):
            continue
        if field in FACT_FIELDS or (isinstance(value, str) and DATE.match(value)):
            yield Claim(where, field, value, sources)


def claims(data: Path) -> list[Claim]:
    """Every claim in the data files under ``data``, in file order."""
    found = []
    for path in sorted(data.rglob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(data.parent)
        main = next((v for v in doc.values() if isinstance(v, dict)), {})
        main_sources = _keys(main.get("sources"))
        for top, body in doc.items():
            if top == "source":
                continue
            for table in body if isinstance(body, list) else [body]:
                if not isinstance(table, dict):
                    continue
                label = table.get("slug") or table.get("country") or table.get("term") or top
                sources = _keys(table.get("sources")) or main_sources
                where = f"{name} [{top}] {label}"
                found += _facts(table, where, sources)
                for rows_name, rows in table.items():
                    if rows_name == "sources" or not isinstance(rows, list):
                        continue
                    for row in (r for r in rows if isinstance(r, dict)):
                        row_label = row.get("country") or row.get("slug") or row.get("norm", "")
                        found += _facts(row, f"{where} > {rows_name} {row_label}", sources)
    return found


def source_urls(data: Path) -> dict[str, str]:
    urls = {}
    for path in data.rglob("*.toml"):
        for source in tomllib.loads(path.read_text(encoding="utf-8")).get("source", []):
            urls[source["key"]] = source.get("url", "")
    return urls


class Command(BaseCommand):
    help = "Draw a random sample of the hard facts in data/ for an independent check."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60, help="How many claims (60).")
        parser.add_argument("--seed", type=int, required=True, help="The draw's seed.")
        parser.add_argument("--data", type=Path, default=Path(settings.BASE_DIR) / "data")

    def handle(self, *args, count: int, seed: int, data: Path, **options):
        everything = claims(data)
        if not 0 < count <= len(everything):
            raise CommandError(f"--count must be between 1 and {len(everything)}.")
        urls = source_urls(data)
        self.stdout.write(
            f"{count} of the {len(everything)} claims in {data}, drawn with seed {seed}:\n"
        )
        for number, claim in enumerate(random.Random(seed).sample(everything, count), 1):
            self.stdout.write(f"{number}. {claim.where}: {claim.field} = {claim.value!r}")
            for key in claim.sources:
                self.stdout.write(f"     source {key}: {urls.get(key, '?')}")
