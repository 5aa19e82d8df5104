"""A synthetic knowledge base of realistic shape and size, for measuring speed at scale.

``generate(records, seed)`` adds ``records`` records to the database: about 60 %
agreements (1 to 40 parties among the countries, 1 to 4 themes, sources, links to
norms and to earlier agreements), 30 % norms in frameworks of about 30, and 10 %
bodies with members, founding instruments and promoted norms. Text is built from
the vocabulary of the field, so a common word ("cyber", "critical infrastructure")
matches many records and a rare one ("hydrographic") a few; a few per cent are
drafts, in review or archived, so that leak tests at scale mean something.

Everything is reproducible from the seed (one ``random.Random``), written with
``bulk_create`` only (no ``save()``, no signals, no history), and added beside
what exists: curated records are never changed. Every generated slug and source
key starts with ``synthetic-<run>-`` (a new run number per call, so a second run
never collides with the first) and every title ends with "(synthetic <n>)", so no
generated record can be mistaken for a curated one.
"""

import random
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, reset_queries, transaction
from django.utils.text import slugify

from agreements.models import Agreement, AgreementLink, NormLink, Participation
from bodies.models import Body, Membership, Promotion
from core.models import Status
from norms.models import Norm, NormFramework
from reference.models import Citation, Country, Source, Theme, ThemedItem

PREFIX = "synthetic-"
BATCH = 5000  # rows per INSERT
MIN_COUNTRIES = 200
MIN_THEMES = 8
NORMS_PER_FRAMEWORK = 30

# Shares of the records by type (frameworks count among the norms).
SHARES = {"agreement": 0.60, "norm": 0.30, "body": 0.10}

STATUSES = [
    (Status.PUBLISHED, 94),
    (Status.DRAFT, 3),
    (Status.REVIEW, 1.5),
    (Status.ARCHIVED, 1.5),
]

# --- vocabulary -----------------------------------------------------------------

TOPICS = [
    ("cybersecurity cooperation", 10),
    ("cyber incident response", 8),
    ("the protection of critical infrastructure", 8),
    ("combating cybercrime", 9),
    ("international information security", 6),
    ("confidence-building measures in cyberspace", 6),
    ("capacity building in cyber security", 6),
    ("the exchange of electronic evidence", 5),
    ("responsible state behaviour in cyberspace", 6),
    ("the security of ICT supply chains", 4),
    ("data protection and privacy", 4),
    ("countering ransomware", 4),
    ("cyber resilience of essential services", 4),
    ("the security of 5G networks", 2),
    ("cyber diplomacy", 3),
    ("the application of international law to cyber operations", 3),
    ("cyber threat intelligence sharing", 3),
    ("digital trade and cross-border data flows", 2),
    ("online child sexual exploitation", 1),
    ("the security of election infrastructure", 1),
]

# Rarer terms, each put into a record's text with a small probability: a search for
# one of them matches few records ("hydrographic" about 1 in 10,000).
RARE = [
    ("submarine cable security", 0.004),
    ("post-quantum cryptography", 0.003),
    ("satellite ground stations", 0.003),
    ("commercial spyware", 0.003),
    ("deepfake disinformation", 0.002),
    ("cryptocurrency laundering", 0.002),
    ("semiconductor export controls", 0.001),
    ("hydrographic survey data", 0.0001),
]

INSTRUMENTS = {
    Agreement.Kind.BILATERAL: [
        "Memorandum of Understanding",
        "Agreement",
        "Joint Statement",
        "Arrangement",
    ],
    Agreement.Kind.REGIONAL_TREATY: ["Convention", "Treaty", "Protocol", "Agreement"],
    Agreement.Kind.MULTILATERAL_TREATY: ["Convention", "Additional Protocol", "Treaty"],
    Agreement.Kind.POLITICAL_COMMITMENT: [
        "Declaration",
        "Joint Communiqué",
        "Call",
        "Statement of Principles",
        "Action Plan",
    ],
    Agreement.Kind.EU_LEGISLATION: ["Directive", "Regulation", "Council Decision"],
    Agreement.Kind.EU_POLICY: ["Strategy", "Framework", "Council Conclusions"],
}
KINDS = [
    (Agreement.Kind.BILATERAL, 30),
    (Agreement.Kind.REGIONAL_TREATY, 18),
    (Agreement.Kind.MULTILATERAL_TREATY, 12),
    (Agreement.Kind.POLITICAL_COMMITMENT, 28),
    (Agreement.Kind.EU_LEGISLATION, 6),
    (Agreement.Kind.EU_POLICY, 6),
]
FORUMS = [
    "the Regional Forum",
    "the Ministerial Conference",
    "the Council of Ministers",
    "the Summit of Heads of State",
    "the Intergovernmental Conference",
    "the Joint Committee",
]
ACTORS = [
    "The parties",
    "The signatories",
    "Participating states",
    "The contracting parties",
    "Member states",
]
COMMITMENTS = [
    "designate national points of contact for {topic}",
    "exchange information on cyber threats and incidents affecting {topic}",
    "criminalise illegal access, illegal interception and data interference",
    (
        "refrain from conducting or knowingly supporting ICT activity that damages "
        "critical infrastructure"
    ),
    "cooperate on mutual legal assistance and the preservation of stored computer data",
    "hold regular consultations on {topic}",
    "support capacity building programmes on {topic}",
    "protect the integrity of the supply chain of information and communications technologies",
    (
        "respond to appropriate requests for assistance from a state whose critical "
        "infrastructure is subject to malicious ICT acts"
    ),
    "share best practices on national cybersecurity strategies and {topic}",
    "establish a joint working group on {topic}",
    "report annually on the implementation of the measures on {topic}",
]
CONTEXTS = [
    (
        "Negotiations began after a series of cyber incidents against government "
        "networks and hospitals."
    ),
    (
        "The text builds on the reports of the UN Group of Governmental Experts and the "
        "Open-ended Working Group."
    ),
    (
        "It refers to the Budapest Convention on Cybercrime and to existing mutual legal "
        "assistance treaties."
    ),
    (
        "Civil society organisations commented on the draft and asked for stronger human "
        "rights safeguards."
    ),
    "Implementation is reviewed by a committee of the parties that meets once a year.",
    (
        "Observers regard it as a step towards a common understanding of how "
        "international law applies in cyberspace."
    ),
    (
        "The parties recall their commitment to an open, secure, stable, accessible and "
        "peaceful ICT environment."
    ),
    (
        "National computer emergency response teams (CERTs) carry out most of the "
        "technical cooperation."
    ),
    "It does not create new obligations under international law and is not legally binding.",
    (
        "Several states made declarations on territorial application and on the scope of "
        "the cooperation provisions."
    ),
]
NORM_ACTIONS = [
    "not conduct or knowingly support ICT activity that intentionally damages {topic}",
    "take appropriate measures to protect {topic} from ICT threats",
    "respond to appropriate requests for assistance concerning {topic}",
    "encourage responsible reporting of ICT vulnerabilities affecting {topic}",
    "not use authorized emergency response teams to engage in malicious activity",
    "cooperate to exchange information and to prosecute terrorist and criminal use of ICTs",
    "respect human rights online, including the right to privacy, in {topic}",
    "ensure the integrity of the supply chain for {topic}",
    "consider all relevant information in the event of ICT incidents affecting {topic}",
    "not knowingly allow their territory to be used for internationally wrongful acts using ICTs",
]
BODY_FORMS = [
    ("Centre for", Body.Kind.CENTRE_OF_EXCELLENCE),
    ("Agency for", Body.Kind.EU_AGENCY),
    ("Network of Computer Emergency Response Teams on", Body.Kind.CERT_NETWORK),
    ("Forum on", Body.Kind.MULTISTAKEHOLDER),
    ("Working Group on", Body.Kind.UN_PROCESS),
    ("Committee on", Body.Kind.TREATY_BODY),
    ("Organization for", Body.Kind.INTERGOVERNMENTAL),
    ("Office for", Body.Kind.UN_ENTITY),
    ("Council on", Body.Kind.OTHER),
]
REGIONS = [
    "Regional",
    "Global",
    "Transatlantic",
    "Indo-Pacific",
    "African",
    "Latin American",
    "Nordic",
    "Mediterranean",
    "Arctic",
    "Central Asian",
]
SEATS = [
    "Geneva",
    "Vienna",
    "Brussels",
    "Tallinn",
    "Singapore",
    "The Hague",
    "Addis Ababa",
    "Washington, D.C.",
    "Montevideo",
    "Canberra",
    "Nairobi",
    "Seoul",
]
FRAMEWORK_FORMS = [
    ("Report of the Group of Experts on", NormFramework.Kind.UN_REPORT),
    ("Call for Trust and Security on", NormFramework.Kind.MULTISTAKEHOLDER),
    ("Final Report of the Commission on", NormFramework.Kind.EXPERT_COMMISSION),
    ("Confidence-Building Measures on", NormFramework.Kind.REGIONAL_CBM),
    ("Manual on", NormFramework.Kind.EXPERT_MANUAL),
    ("Declaration on", NormFramework.Kind.POLITICAL_DECLARATION),
]
PUBLISHERS = [
    "United Nations",
    "Council of Europe",
    "European Union",
    "Organization for Security and Co-operation in Europe",
    "African Union",
    "ASEAN Secretariat",
    "Organization of American States",
    "Ministry of Foreign Affairs",
]
SOURCE_FORMS = ["Official text of the", "Explanatory report on the", "Press release on the"]


def weighted(pairs: list[tuple]) -> tuple[list, list]:
    return [value for value, _ in pairs], [weight for _, weight in pairs]


@dataclass
class Report:
    """What a run added, by model, and how long it took."""

    run: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, model: type[models.Model], n: int) -> None:
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + n

    def __str__(self) -> str:
        rows = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return f"synthetic run {self.run}: {rows} in {self.seconds:.1f} s"


class Text:
    """Titles, summaries, descriptions and dates from the field's vocabulary."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.topics, self.topic_weights = weighted(TOPICS)
        self.statuses, self.status_weights = weighted(STATUSES)

    def topic(self) -> str:
        return self.rng.choices(self.topics, self.topic_weights)[0]

    def status(self) -> str:
        return self.rng.choices(self.statuses, self.status_weights)[0]

    def rare(self) -> list[str]:
        return [term for term, p in RARE if self.rng.random() < p]

    def sentence(self, topic: str) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            commitment = rng.choice(COMMITMENTS).format(topic=self.topic())
            return f"{rng.choice(ACTORS)} undertake to {commitment}."
        if rng.random() < 0.5:
            return rng.choice(CONTEXTS)
        return (
            f"It sets out how {rng.choice(ACTORS).lower()} work together on {topic}, "
            f"in particular on {self.topic()}."
        )

    def summary(self, opening: str, topic: str) -> str:
        sentences = [opening] + [self.sentence(topic) for _ in range(self.rng.randint(1, 3))]
        return " ".join(sentences)

    def description(self, topic: str, extra: list[str]) -> tuple[str, str]:
        """Markdown and the HTML that ``core.text.render_markdown`` makes of it.

        Rendering 100k descriptions through Markdown would take minutes; this text
        uses only paragraphs and a bold lead, whose HTML is known.
        """
        labels = ["Scope", "Background", "Obligations", "Implementation", "Status"]
        paragraphs = []
        for i in range(self.rng.randint(3, 6)):
            body = " ".join(self.sentence(topic) for _ in range(self.rng.randint(2, 4)))
            if i == 1 and extra:
                body += " It also addresses " + " and ".join(extra) + "."
            paragraphs.append((labels[i % len(labels)], body))
        markdown = "\n\n".join(f"**{label}.** {body}" for label, body in paragraphs)
        html = "\n".join(
            f"<p><strong>{escape(label, quote=False)}.</strong> {escape(body, quote=False)}</p>"
            for label, body in paragraphs
        )
        return markdown, html

    def day(self, start: int = 1995, end: int = 2025) -> date:
        first = date(start, 1, 1).toordinal()
        return date.fromordinal(self.rng.randint(first, date(end, 12, 31).toordinal()))

    def after(self, day: date, most: int = 900) -> date:
        return min(day + timedelta(days=self.rng.randint(0, most)), date(2026, 10, 31))

    def partial(self, day: date) -> str:
        """A date at the precision known: mostly the day, sometimes the month or the year."""
        roll = self.rng.random()
        if roll < 0.85:
            return day.isoformat()
        return day.isoformat()[:7] if roll < 0.95 else str(day.year)

    def as_of(self) -> date:
        return self.day(2024, 2026)


def batched(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def next_run() -> int:
    """One more than the highest run number among the synthetic sources."""
    keys = Source.objects.filter(key__startswith=PREFIX).values_list("key", flat=True)
    runs = [int(key.split("-")[1]) for key in keys if key.split("-")[1].isdigit()]
    return max(runs, default=0) + 1


def shares(records: int) -> dict[str, int]:
    """How many records of each type: bodies and norms rounded, agreements the rest."""
    bodies = round(records * SHARES["body"])
    norms = round(records * SHARES["norm"])
    return {"agreement": records - bodies - norms, "norm": norms, "body": bodies}


class Generator:
    def __init__(self, records: int, seed: int, *, log: Callable[[str], None] = lambda _: None):
        self.records = records
        self.seed = seed
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.log = log
        self.run = next_run()
        self.report = Report(self.run)
        self.serial = 0
        self.types = ContentType.objects.get_for_models(Agreement, Norm, NormFramework, Body)

    # --- helpers -------------------------------------------------------------

    def insert(self, model: type[models.Model], rows: list) -> list:
        created = []
        for chunk in batched(rows):
            created += model.objects.bulk_create(chunk, batch_size=BATCH)
            # With DEBUG on, Django keeps the SQL of the last 9,000 queries: megabytes each here.
            reset_queries()
        self.report.add(model, len(rows))
        return created

    def title(self, text: str) -> tuple[str, str]:
        """A title that names itself synthetic, and its slug under this run's prefix."""
        self.serial += 1
        title = f"{text} (synthetic {self.serial})"[-300:]
        slug = f"{PREFIX}{self.run}-{self.serial}-{slugify(text)}"[:100].rstrip("-")
        return title, slug

    def attach(self, model: type[models.Model], pks: list[int]) -> None:
        """Themes (1 to 4) and citations (1 to 3) of the new records of ``model``."""
        content_type = self.types[model]
        tagged, cited = [], []
        for pk in pks:
            for theme in self.rng.sample(self.themes, self.rng.randint(1, 4)):
                tagged.append(ThemedItem(content_type=content_type, object_id=pk, tag_id=theme))
            for position, source in enumerate(
                self.rng.sample(self.sources, self.rng.randint(1, 3))
            ):
                pinpoint = f"para. {self.rng.randint(1, 60)}" if self.rng.random() < 0.6 else ""
                cited.append(
                    Citation(
                        content_type=content_type,
                        object_id=pk,
                        source_id=source,
                        pinpoint=pinpoint,
                        position=position,
                    )
                )
        self.insert(ThemedItem, tagged)
        self.insert(Citation, cited)

    def timed(self, label: str, step: Callable[[], None]) -> None:
        start = time.perf_counter()
        step()
        self.log(f"  {label}: {time.perf_counter() - start:.1f} s")

    # --- steps ---------------------------------------------------------------

    def generate(self) -> Report:
        start = time.perf_counter()
        counts = shares(self.records)
        with transaction.atomic():
            self.timed("countries and themes", self.reference)
            self.timed("sources", lambda: self.make_sources(max(3, self.records // 20)))
            self.timed("agreements", lambda: self.make_agreements(counts["agreement"]))
            self.timed("bodies", lambda: self.make_bodies(counts["body"]))
            self.timed("frameworks and norms", lambda: self.make_norms(counts["norm"]))
            self.timed("links", self.make_links)
        # Fresh planner statistics: right after a bulk write the planner still sees the
        # tables as they were, and picks plans for a few rows until autovacuum runs.
        self.timed("planner statistics and visibility map", analyze)
        self.report.seconds = time.perf_counter() - start
        return self.report

    def reference(self) -> None:
        """The existing countries and themes, topped up with synthetic ones if too few."""
        # Its own random stream, so that the records' text does not depend on whether
        # countries and themes had to be made up.
        rng = random.Random(f"{self.seed}-reference")
        countries = list(Country.objects.order_by("code").values_list("code", "name"))
        if len(countries) < MIN_COUNTRIES:
            taken = {code for code, _ in countries}
            free = [
                a + b
                for a in string.ascii_uppercase
                for b in string.ascii_uppercase
                if a + b not in taken
            ]
            regions = Country.Region.values
            self.insert(
                Country,
                [
                    Country(code=code, name=f"Synthetic State {code}", region=rng.choice(regions))
                    for code in rng.sample(free, MIN_COUNTRIES - len(countries))
                ],
            )
        self.countries = list(Country.objects.order_by("code").values_list("pk", flat=True))
        themes = Theme.objects.count()
        if themes < MIN_THEMES:
            self.insert(
                Theme,
                [
                    Theme(
                        name=f"Synthetic theme {self.run}-{i}: {topic}"[:100],
                        slug=f"{PREFIX}{self.run}-theme-{i}",
                        description=f"Records about {topic}, generated for measurements at scale.",
                    )
                    for i, topic in enumerate(rng.sample(self.text.topics, MIN_THEMES - themes))
                ],
            )
        # The first themes come up more often, as cybercrime does in the real data.
        self.themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))

    def make_sources(self, n: int) -> None:
        rows = []
        for i in range(1, n + 1):
            day = self.text.day()
            topic = self.text.topic()
            key = f"{PREFIX}{self.run}-source-{i}"
            rows.append(
                Source(
                    key=key,
                    title=f"{self.rng.choice(SOURCE_FORMS)} instrument on {topic} (synthetic {i})",
                    publisher=self.rng.choice(PUBLISHERS),
                    url=f"https://documents.example.org/{key}",
                    date=self.text.partial(day),
                    symbol=f"SYN/{day.year}/{i}",
                )
            )
        self.insert(Source, rows)
        # Curated sources are cited too, as real records cite the same treaties.
        self.sources = list(Source.objects.order_by("pk").values_list("pk", flat=True))

    def make_agreements(self, n: int) -> None:
        self.agreements: list[tuple[int, date, str, str]] = []  # pk, adopted, kind, status
        kinds, weights = weighted(KINDS)
        for size in chunk_sizes(n):
            rows, facts = [], []
            for _ in range(size):
                kind = self.rng.choices(kinds, weights)[0]
                topic = self.text.topic()
                binding = kind not in (
                    Agreement.Kind.POLITICAL_COMMITMENT,
                    Agreement.Kind.EU_POLICY,
                )
                parties = self.parties(kind)
                instrument = self.rng.choice(INSTRUMENTS[kind])
                if kind == Agreement.Kind.BILATERAL:
                    text = f"{instrument} between {{0}} and {{1}} on {topic}"
                else:
                    text = f"{instrument} on {topic}"
                adopted = self.text.day()
                title, slug = self.title(text.format(*self.names(parties[:2])))
                legal_status, in_force, ended = self.legal_status(binding, adopted)
                extra = self.text.rare()
                description, html = self.text.description(topic, extra)
                where = self.rng.choice(FORUMS)
                nature = "A binding" if binding else "A political"
                opening = f"{nature} instrument on {topic}, adopted at {where} in {adopted.year}."
                status = self.text.status()
                rows.append(
                    Agreement(
                        title=title,
                        slug=slug,
                        summary=self.text.summary(opening, topic),
                        description=description,
                        description_html=html,
                        status=status,
                        short_title=f"{instrument} {self.serial}"
                        if self.rng.random() < 0.3
                        else "",
                        kind=kind,
                        reach=Agreement.Reach.BILATERAL
                        if len(parties) == 2
                        else Agreement.Reach.PLURILATERAL,
                        legally_binding=binding,
                        symbol=f"SYN No. {self.serial}" if binding else "",
                        adopted=self.text.partial(adopted) if not in_force else adopted.isoformat(),
                        entry_into_force=in_force,
                        ended=ended,
                        legal_status=legal_status,
                        status_as_of=self.text.as_of(),
                    )
                )
                facts.append((adopted, kind, status, parties, binding))
            created = self.insert(Agreement, rows)
            pks = [obj.pk for obj in created]
            self.attach(Agreement, pks)
            participations = []
            for pk, (adopted, kind, status, parties, binding) in zip(pks, facts, strict=True):
                self.agreements.append((pk, adopted, kind, status))
                participations += [
                    self.participation(pk, adopted, binding, country=c) for c in parties
                ]
            self.insert(Participation, participations)
            self.log(f"    {len(self.agreements)} agreements")

    def parties(self, kind: str) -> list[int]:
        if kind == Agreement.Kind.BILATERAL:
            count = 2
        else:
            count = min(40, max(1, round(self.rng.triangular(1, 40, 8))))
        return self.rng.sample(self.countries, count)

    def names(self, pks: list[int]) -> list[str]:
        if not hasattr(self, "country_names"):
            self.country_names = dict(Country.objects.values_list("pk", "name"))
        return [self.country_names[pk] for pk in pks]

    def legal_status(self, binding: bool, adopted: date) -> tuple[str, str, str]:
        """The legal status, entry into force and end, consistent with each other."""
        status = Agreement.LegalStatus
        if not binding:
            return status.NON_BINDING, "", ""
        roll = self.rng.random()
        if roll < 0.65:
            return status.IN_FORCE, self.text.after(adopted).isoformat(), ""
        if roll < 0.8:
            return status.NOT_YET_IN_FORCE, "", ""
        if roll < 0.9:
            in_force = self.text.after(adopted)
            return status.ENDED, in_force.isoformat(), self.text.after(in_force, 3000).isoformat()
        return status.UNKNOWN, "", ""

    def participation(self, agreement: int, adopted: date, binding: bool, **party) -> Participation:
        signed = self.text.after(adopted, 400)
        consent_kind = consent = in_force = withdrawn = ""
        if binding and self.rng.random() < 0.8:
            consent_kind = self.rng.choice(
                [Participation.ConsentKind.RATIFICATION] * 4 + [Participation.ConsentKind.ACCESSION]
            )
            consent_day = self.text.after(signed, 1500)
            consent = consent_day.isoformat()
            if self.rng.random() < 0.8:
                in_force = self.text.after(consent_day, 120).isoformat()
        if self.rng.random() < 0.01:
            withdrawn = self.text.after(signed, 4000).isoformat()
        return Participation(
            agreement_id=agreement,
            signed=signed.isoformat(),
            consent_kind=consent_kind,
            consent=consent,
            entry_into_force=in_force,
            withdrawn=withdrawn,
            as_of=self.text.as_of(),
            note="Reservation made on signature." if self.rng.random() < 0.02 else "",
            **{f"{name}_id": pk for name, pk in party.items()},
        )

    def make_bodies(self, n: int) -> None:
        self.bodies: list[tuple[int, str]] = []  # pk, status
        for size in chunk_sizes(n):
            rows = []
            for _ in range(size):
                form, kind = self.rng.choice(BODY_FORMS)
                topic = self.text.topic()
                region = self.rng.choice(REGIONS)
                name = f"{region} {form} {topic.removeprefix('the ')}"
                title, slug = self.title(name)
                acronym = "".join(w[0] for w in name.split() if w[0].isupper())[:8]
                founded = self.text.day(1950, 2024)
                description, html = self.text.description(topic, self.text.rare())
                label = Body.Kind(kind).label.lower()
                opening = f"A {label} working on {topic}, founded in {founded.year}."
                established_by = None
                if self.agreements and self.rng.random() < 0.2:
                    established_by = self.rng.choice(self.agreements)[0]
                rows.append(
                    Body(
                        title=title,
                        slug=slug,
                        summary=self.text.summary(opening, topic),
                        description=description,
                        description_html=html,
                        status=self.text.status(),
                        acronym=f"{acronym}-{self.serial}",
                        kind=kind,
                        founded=self.text.partial(founded),
                        seat=self.rng.choice(SEATS),
                        website=f"https://www.example.org/{slug}/",
                        established_by_id=established_by,
                        members_as_of=self.text.as_of(),
                    )
                )
            created = self.insert(Body, rows)
            pks = [obj.pk for obj in created]
            self.attach(Body, pks)
            members = []
            for obj in created:
                self.bodies.append((obj.pk, obj.status))
                count = min(len(self.countries), round(self.rng.triangular(3, 60, 10)))
                for country in self.rng.sample(self.countries, count):
                    since = self.text.partial(self.text.day(1990, 2025))
                    members.append(Membership(body_id=obj.pk, country_id=country, since=since))
            self.insert(Membership, members)

    def make_norms(self, n: int) -> None:
        self.norms: list[int] = []
        frameworks = max(1, round(n / (NORMS_PER_FRAMEWORK + 1)))
        norms = max(0, n - frameworks)
        rows = []
        forms = FRAMEWORK_FORMS
        for _ in range(frameworks):
            form, kind = self.rng.choice(forms)
            topic = self.text.topic()
            adopted = self.text.day(2000, 2025)
            title, slug = self.title(f"{form} {topic.removeprefix('the ')} ({adopted.year})")
            description, html = self.text.description(topic, self.text.rare())
            producer = (
                self.rng.choice(self.bodies)[0] if self.bodies and self.rng.random() < 0.5 else None
            )
            rows.append(
                NormFramework(
                    title=title,
                    slug=slug,
                    summary=self.text.summary(f"A framework of norms on {topic}.", topic),
                    description=description,
                    description_html=html,
                    # A draft framework hides all its norms: keep those few.
                    status=Status.PUBLISHED if self.rng.random() < 0.98 else Status.DRAFT,
                    short_title=f"SYN {self.serial}",
                    kind=kind,
                    symbol=f"A/SYN/{adopted.year}/{self.serial}",
                    adopted=self.text.partial(adopted),
                    produced_by_id=producer,
                )
            )
        framework_pks = [obj.pk for obj in self.insert(NormFramework, rows)]
        self.attach(NormFramework, framework_pks)
        # Norms spread over the frameworks, about 30 each, in position order.
        positions = {pk: 0 for pk in framework_pks}
        pending = []
        for i in range(norms):
            framework = framework_pks[i % len(framework_pks)]
            position = positions[framework]
            positions[framework] += 1
            topic = self.text.topic()
            action = self.rng.choice(NORM_ACTIONS).format(topic=topic)
            title, slug = self.title(action[0].upper() + action[1:])
            description, html = self.text.description(topic, self.text.rare())
            pending.append(
                Norm(
                    title=title[:300],
                    slug=slug,
                    summary=self.text.summary(f"States should {action}.", topic),
                    description=description,
                    description_html=html,
                    status=self.text.status(),
                    framework_id=framework,
                    reference=f"{position // 8 + 1}({'abcdefgh'[position % 8]})",
                    quotation=f"States should {action}.",
                    position=position,
                )
            )
            if len(pending) == BATCH or i == norms - 1:
                created = self.insert(Norm, pending)
                pks = [obj.pk for obj in created]
                self.attach(Norm, pks)
                self.norms += pks
                pending = []

    def make_links(self) -> None:
        """Norm links, body parties and links between agreements; bodies' promoted norms."""
        curated = list(
            Norm.objects.published().exclude(slug__startswith=PREFIX).values_list("pk", flat=True)
        )
        norms = self.norms + curated
        relations = NormLink.Relation.values
        norm_links, body_parties, agreement_links = [], [], []
        earlier: list[int] = []
        for pk, adopted, kind, _status in self.agreements:
            if norms:
                for norm in self.rng.sample(
                    norms, min(len(norms), self.rng.choice([0, 0, 1, 2, 3, 5]))
                ):
                    note = f"Art. {self.rng.randint(1, 40)}" if self.rng.random() < 0.5 else ""
                    norm_links.append(
                        NormLink(
                            agreement_id=pk,
                            norm_id=norm,
                            relation=self.rng.choice(relations),
                            note=note,
                        )
                    )
            if self.bodies and kind != Agreement.Kind.BILATERAL and self.rng.random() < 0.03:
                body = self.rng.choice(self.bodies)[0]
                body_parties.append(self.participation(pk, adopted, True, body=body))
            if earlier and self.rng.random() < 0.03:
                agreement_links.append(
                    AgreementLink(
                        source_id=pk,
                        target_id=self.rng.choice(earlier),
                        relation=self.rng.choice(AgreementLink.Relation.values),
                    )
                )
            earlier.append(pk)
        self.insert(NormLink, norm_links)
        self.insert(Participation, body_parties)
        self.insert(AgreementLink, agreement_links)
        promotions = []
        if norms:
            for pk, _status in self.bodies:
                for norm in self.rng.sample(norms, min(len(norms), self.rng.randint(0, 5))):
                    promotions.append(Promotion(body_id=pk, norm_id=norm))
        self.insert(Promotion, promotions)


def chunk_sizes(n: int, size: int = BATCH) -> Iterator[int]:
    while n > 0:
        yield min(n, size)
        n -= size


def analyze() -> None:
    """Planner statistics, and the visibility map where it can be written: right after a
    bulk write no page is marked all-visible, so every index-only scan (the facet counts'
    joins through ids) visits the table as well, until autovacuum runs. VACUUM cannot
    run inside a transaction (a test's): there, statistics only."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def generate(records: int, seed: int = 1, *, log: Callable[[str], None] = lambda _: None) -> Report:
    """Add ``records`` synthetic records (see the module's docstring); return what was added."""
    if records < 1:
        raise ValueError("The number of records must be at least 1.")
    return Generator(records, seed, log=log).generate()
