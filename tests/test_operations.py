"""Operating the site: serving with gunicorn, probes, database outages, logs, backups."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production process, without any database setting."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CYBERDIPLO_EMBEDDED_DB", "EMBEDDED_PGDATA")
        and not key.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        CYBERDIPLO_ENV="production",
        SECRET_KEY="operations-test-secret-key-not-for-any-real-site-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database_url_for(name: str) -> str:
    """A DATABASE_URL naming this run's test database on the embedded server."""
    socket_dir = urllib.parse.quote(connection.settings_dict["HOST"], safe="")
    return f"postgresql://postgres@{socket_dir}:{connection.settings_dict['PORT']}/{name}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# Probes


def test_healthz_answers_ok_without_touching_the_database(client):
    # No `db` fixture: any query would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_the_database_by_name_only(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_readyz_names_an_unreachable_shared_cache(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "cache": "failing"},
    }


# A database outage


@pytest.fixture
def outage(transactional_db):
    """Cut this run's test database off for real: end its sessions, refuse new ones."""
    name = connection.settings_dict["NAME"]
    admin = psycopg.connect(
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"],
        user="postgres",
        dbname="postgres",
        autocommit=True,
    )

    def cut() -> None:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    def restore() -> None:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    try:
        yield cut, restore
    finally:
        restore()
        admin.close()


def test_unreachable_database_answers_503_and_recovers_without_a_restart(client, outage):
    cut, restore = outage
    assert client.get("/norms/").status_code == 200

    cut()
    page = client.get("/norms/")
    assert page.status_code == 503
    assert int(page["Retry-After"]) > 0
    assert b"unavailable for a moment" in page.content
    # A second request opens a new connection, which the database refuses: 503 again.
    api = client.get("/api/v1/norms/")
    assert api.status_code == 503
    assert api["Content-Type"] == "application/json"
    assert int(api["Retry-After"]) > 0
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "failing", "checks": {"database": "failing"}}
    assert client.get("/healthz").status_code == 200

    restore()
    assert client.get("/norms/").status_code == 200
    assert client.get("/readyz").status_code == 200


# Logs


def test_bad_request_is_logged_at_info_without_a_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/norms/", {"page": "abc"})
    assert response.status_code == 400
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 400]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_not_found_is_logged_at_info(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/norms/no-such-norm/").status_code == 404
    records = [r for r in caplog.records if getattr(r, "status_code", None) == 404]
    assert records and all(r.levelno == logging.INFO and r.exc_info is None for r in records)


def test_sentry_starts_only_when_a_dsn_is_set():
    probe = (
        "import django; django.setup(); import sentry_sdk; "
        "print(sentry_sdk.get_client().is_active())"
    )
    env = production_env(DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    env["DJANGO_SETTINGS_MODULE"] = "cyberdiplo.settings"
    # The two processes start side by side: each spends its time importing Django.
    without, with_dsn = (
        subprocess.Popen(
            [PYTHON, "-c", probe],
            cwd=BASE_DIR,
            env=dict(env, **extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for extra in ({}, {"SENTRY_DSN": "http://public@127.0.0.1:9/1"})
    )
    out, err = without.communicate(timeout=120)
    assert out.strip() == "False", err
    out, err = with_dsn.communicate(timeout=120)
    assert out.strip() == "True", err


# Production start-up


def test_make_names_port_when_the_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "port-free", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        )
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "PORT=" in result.stderr


def test_production_without_a_database_setting_refuses_to_start(tmp_path):
    result = manage("check", env=production_env(EMBEDDED_PGDATA=str(tmp_path / "pg")))
    assert result.returncode != 0
    assert "Production needs a database: set DATABASE_URL" in result.stderr
    assert "CYBERDIPLO_EMBEDDED_DB=1" in result.stderr
    assert not (tmp_path / "pg").exists()


def test_single_machine_mode_needs_the_detached_server_and_never_starts_one(tmp_path):
    pgdata = tmp_path / "pg"
    env = production_env(CYBERDIPLO_EMBEDDED_DB="1", EMBEDDED_PGDATA=str(pgdata))
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "make db-start" in result.stderr
    assert not (pgdata / "postmaster.pid").exists()


def test_detached_embedded_server_outlives_the_processes_that_use_it(tmp_path):
    pgdata = tmp_path / "pg"
    env = production_env(CYBERDIPLO_EMBEDDED_DB="1", EMBEDDED_PGDATA=str(pgdata))
    db_command = [PYTHON, "-m", "cyberdiplo.db"]
    started = subprocess.run(
        [*db_command, "start"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    try:
        assert manage("check", env=env).returncode == 0
        status = subprocess.run([*db_command, "status"], cwd=BASE_DIR, env=env)
        assert status.returncode == 0  # still running after the process that used it exited
    finally:
        subprocess.run([*db_command, "stop"], cwd=BASE_DIR, env=env, check=True)
    status = subprocess.run([*db_command, "status"], cwd=BASE_DIR, env=env, capture_output=True)
    assert status.returncode == 3


def test_gunicorn_serves_pages_probes_and_hashed_static_files(db, tmp_path):
    port = free_port()
    env = production_env(
        DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
        STATIC_ROOT=str(tmp_path / "static"),
        SECURE_SSL_REDIRECT="0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    # Swagger UI's bundles are two thirds of the files and half of the time collectstatic
    # takes, and none of the pages fetched here uses them (`make rehearse-scale` and
    # `make bench` collect everything).
    collected = manage(
        "collectstatic", "--noinput", "--verbosity", "0", "--ignore", "drf_spectacular_sidecar",
        env=env,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    stylesheet = manifest["paths"]["css/site.css"]
    assert stylesheet != "css/site.css"

    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "deploy/gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # wait for the state "listening", not for a time
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
        status, headers, body = fetch(base + "/")
        assert status == 200
        assert b"<h1" in body
        status, headers, body = fetch(base + "/healthz")
        assert (status, json.loads(body)["status"]) == (200, "ok")
        assert fetch(base + "/readyz")[0] == 200
        status, headers, body = fetch(base + "/no-such-page/")
        assert status == 404
        assert b"Page not found" in body
        status, headers, body = fetch(f"{base}/static/{stylesheet}")
        assert status == 200
        cache_control = dict(
            (part.split("=") + [""])[:2] for part in headers["Cache-Control"].split(", ")
        )
        assert int(cache_control["max-age"]) >= 365 * 24 * 3600
        assert "immutable" in cache_control
    finally:
        server.terminate()
        server.wait(timeout=30)
    access = log.read_text()
    # One access-log line per request, with method, path, status and duration.
    assert '"GET /healthz HTTP/1.1" 200' in access
    assert '"GET /no-such-page/ HTTP/1.1" 404' in access
    assert any("ms" in line for line in access.splitlines() if "GET / " in line)


# Backup and restore


def row_counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"],
        user="postgres",
        dbname=dbname,
    ) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def api_lists(client) -> dict[str, object]:
    """Every list of the API, each page of it, as JSON."""
    answers = {}
    root = client.get("/api/v1/").json()
    # The lists' URLs, not the release the API serves (an object, or null without one).
    for url in (value for value in root.values() if isinstance(value, str)):
        while url:
            page = client.get(url).json()
            answers[url] = page
            url = page.get("next")
    return answers


@pytest.fixture
def spare_database(transactional_db):
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"],
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_an_empty_database_identically(client, spare_database, tmp_path):
    from tests.graph import make_graph

    make_graph(scale=3)
    original = connection.settings_dict["NAME"]
    dump = tmp_path / "site.dump"
    backup = manage(
        "backup",
        "--output",
        str(dump),
        env=production_env(DATABASE_URL=database_url_for(original)),
    )
    assert backup.returncode == 0, backup.stderr
    restored_env = production_env(DATABASE_URL=database_url_for(spare_database))
    restored = manage("restore", str(dump), env=restored_env)
    assert restored.returncode == 0, restored.stderr

    counts = row_counts(original)
    assert counts["agreements_agreement"] > 0
    assert row_counts(spare_database) == counts

    before = api_lists(client)
    assert len(before) >= 5
    connection.close()
    connection.settings_dict["NAME"] = spare_database
    try:
        after = api_lists(client)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    assert after == before

    # The restored database is no longer empty: a second restore refuses, FORCE replaces.
    # (In this process, against the same database: the command line was proven above.)
    connection.close()
    connection.settings_dict["NAME"] = spare_database
    try:
        with pytest.raises(CommandError, match="is not empty") as refused:
            call_command("restore", str(dump))
        assert "FORCE=1" in str(refused.value)
        call_command("restore", "--force", str(dump), stdout=io.StringIO())
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    assert row_counts(spare_database) == counts
