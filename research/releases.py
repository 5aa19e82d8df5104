"""Dataset releases (issue 14): a versioned, citable copy of everything public, with a
changelog against the release before and SHA-256 checksums, listed at /data/releases/.

A release is a folder ``cyberdiplo-<version>/`` under ``settings.RELEASES_DIR``:

- ``records.jsonld``: every published record as schema.org JSON-LD (core/jsonld.py);
- ``<type>.csv``: every published record of each type, as the lists export them;
- ``CHANGELOG.md``: the records added, removed and changed since the release before;
- ``index.json``: each record's address and a hash of what it says (for the next
  changelog);
- ``manifest.json``: version, date, counts, files with their sizes and hashes, citation;
- ``SHA256SUMS``: every other file's hash, for ``sha256sum -c SHA256SUMS``.

The folder is written under a temporary name and renamed when complete, so a listed
release is always whole. Only published records go in.
"""

import datetime
import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from core import jsonld
from core.exports import export_records
from core.models import ContentVersion
from core.registry import registry

VERSION_RE = re.compile(r"\d{4}\.\d{2}\.\d{2}(\.\d+)?")
PREFIX = "cyberdiplo-"
FILE_RE = re.compile(r"[a-z0-9][a-z0-9_.-]*|CHANGELOG\.md|SHA256SUMS")


class ReleaseError(Exception):
    pass


def root() -> Path:
    return Path(settings.RELEASES_DIR)


def listed() -> list[dict]:
    """Every complete release's manifest, newest first."""
    if not root().is_dir():
        return []
    found = []
    for folder in root().iterdir():
        manifest = folder / "manifest.json"
        if folder.name.startswith(PREFIX) and manifest.is_file():
            found.append(json.loads(manifest.read_text()))

    def order(manifest):
        return manifest["created"], [int(n) for n in manifest["version"].split(".")]

    return sorted(found, key=order, reverse=True)


def find(version: str) -> dict | None:
    if not VERSION_RE.fullmatch(version):
        return None
    manifest = root() / f"{PREFIX}{version}" / "manifest.json"
    return json.loads(manifest.read_text()) if manifest.is_file() else None


def file_path(version: str, name: str) -> Path | None:
    """The path of file ``name`` of release ``version``, if the manifest lists it."""
    manifest = find(version)
    if manifest is None or not FILE_RE.fullmatch(name):
        return None
    names = {f["name"] for f in manifest["files"]} | {"manifest.json", "SHA256SUMS"}
    return root() / f"{PREFIX}{version}" / name if name in names else None


def next_version(today: datetime.date) -> str:
    base = today.strftime("%Y.%m.%d")
    taken = {m["version"] for m in listed()}
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


def citation(version: str, created: str) -> str:
    url = f"{settings.SITE_URL.rstrip('/')}/data/releases/{version}/"
    return f"Cyberdiplo contributors. Cyberdiplo dataset, release {version} ({created[:10]}). {url}"


def _request():
    site = urlsplit(settings.SITE_URL)
    return RequestFactory().get("/", secure=site.scheme == "https", HTTP_HOST=site.netloc)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def build(version: str | None = None) -> dict:
    """Write a new release of what is public now; return its manifest."""
    now = timezone.now()
    version = version or next_version(now.date())
    if not VERSION_RE.fullmatch(version):
        raise ReleaseError(f"A version is a date, YYYY.MM.DD, optionally .N: not “{version}”.")
    target = root() / f"{PREFIX}{version}"
    if target.exists():
        raise ReleaseError(f"Release {version} exists already ({target}); releases never change.")
    previous = next(iter(listed()), None)
    work = root() / f".{PREFIX}{version}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        request = _request()
        graph, index, counts = [], {}, {}
        for record_type in registry:
            public = record_type.model.objects.published().order_by("pk")
            name = f"{record_type.api_prefix}.csv"
            response = export_records(request, public, record_type.api_prefix, "csv")
            with (work / name).open("wb") as fh:
                for chunk in response.streaming_content:
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            counts[record_type.key] = 0
            for record in public.for_export().iterator(chunk_size=200):
                path = record.get_absolute_url()
                data = jsonld.describe(record, request.build_absolute_uri(path),
                                       request.build_absolute_uri)  # fmt: skip
                graph.append(data)
                said = {k: v for k, v in data.items() if k != "dateModified"}
                index[path] = hashlib.sha256(
                    json.dumps(said, sort_keys=True, ensure_ascii=False).encode()
                ).hexdigest()
                counts[record_type.key] += 1
        (work / "records.jsonld").write_text(
            json.dumps({"@context": jsonld.SCHEMA, "@graph": graph}, ensure_ascii=False, indent=1)
        )
        (work / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))
        before = _index_of(previous)
        changes = {
            "added": sorted(set(index) - set(before)),
            "removed": sorted(set(before) - set(index)),
            "changed": sorted(k for k in index.keys() & before.keys() if index[k] != before[k]),
        }
        (work / "CHANGELOG.md").write_text(_changelog(version, now, previous, changes))
        files = [
            {"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(work.iterdir())
        ]
        created = now.isoformat(timespec="seconds")
        manifest = {
            "version": version,
            "created": created,
            "previous": previous["version"] if previous else None,
            "counts": counts,
            "changes": {k: len(v) for k, v in changes.items()},
            "files": files,
            "citation": citation(version, created),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1))
        sums = [*files, {"name": "manifest.json", "sha256": _sha256(work / "manifest.json")}]
        (work / "SHA256SUMS").write_text("".join(f"{f['sha256']}  {f['name']}\n" for f in sums))
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    # The releases page lists it at once (the page cache keys on the content version).
    ContentVersion.objects.filter(id=1).update(number=F("number") + 1, changed_at=now)
    return manifest


def _index_of(manifest: dict | None) -> dict:
    if manifest is None:
        return {}
    path = root() / f"{PREFIX}{manifest['version']}" / "index.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _changelog(version: str, now, previous: dict | None, changes: dict) -> str:
    lines = [f"# Cyberdiplo dataset {version} ({now:%Y-%m-%d})", ""]
    if previous is None:
        lines += ["The first release: every record is new.", ""]
    else:
        lines += [
            f"Against release {previous['version']}: {len(changes['added'])} added, "
            f"{len(changes['removed'])} removed, {len(changes['changed'])} changed.",
            "",
        ]
        for label in ("added", "removed", "changed"):
            if changes[label]:
                lines += [f"## {label.capitalize()}", ""]
                lines += [f"- {path}" for path in changes[label]]
                lines.append("")
    return "\n".join(lines)
