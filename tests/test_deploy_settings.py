"""Deploy-time settings of the scale-out layer: the shared cache and opt-in HSTS extras."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cyberdiplo.cache import cache_settings

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-production-secret-key-that-is-long-and-random-0123456789abcdef"


def production_settings(**extra: str) -> dict[str, str]:
    """The settings a production process reads with ``extra`` in its environment."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "CYBERDIPLO_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "cyberdiplo.example.org",
        # Read, never connected to: settings only parse it.
        "DATABASE_URL": "postgresql://cyberdiplo@127.0.0.1:5432/cyberdiplo",
        "DJANGO_SETTINGS_MODULE": "cyberdiplo.settings",
        **extra,
    }
    code = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'backend': settings.CACHES['default']['BACKEND'],"
        "'location': settings.CACHES['default'].get('LOCATION', ''),"
        "'subdomains': settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'preload': settings.SECURE_HSTS_PRELOAD}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    return {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def test_without_cache_url_each_process_has_a_local_memory_cache():
    assert cache_settings("")["BACKEND"] == "core.localcache.BoundedLocMemCache"


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/0", "redis://:secret@cache.internal:6380", "rediss://cache/2",
     "unix:///run/redis/redis.sock"],
)  # fmt: skip
def test_a_redis_url_selects_djangos_redis_backend(url):
    cache = cache_settings(url)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == url


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("memcached://127.0.0.1:11211", "must start with redis://"),
        ("127.0.0.1:6379", "must start with redis://"),
        ("redis://", "needs a host"),
        ("redis://127.0.0.1:port/0", "port that is not a number"),
        ("redis://127.0.0.1:6379/cache", "database number"),
        ("unix://", "socket path"),
    ],
)
def test_a_bad_cache_url_is_refused_with_its_fault_named(url, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        cache_settings(url)


def test_production_reads_cache_url_and_refuses_a_bad_one():
    good = production_settings(CACHE_URL="redis://127.0.0.1:6390/1")
    assert good["returncode"] == 0, good["stderr"]
    assert '"backend": "django.core.cache.backends.redis.RedisCache"' in good["stdout"]
    assert '"location": "redis://127.0.0.1:6390/1"' in good["stdout"]

    bad = production_settings(CACHE_URL="memcached://127.0.0.1:11211")
    assert bad["returncode"] != 0
    assert "CACHE_URL must start with redis://" in bad["stderr"]


def test_hsts_subdomains_and_preload_are_off_in_production_unless_asked():
    default = production_settings()
    assert default["returncode"] == 0, default["stderr"]
    assert '"subdomains": false, "preload": false' in default["stdout"]

    asked = production_settings(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="true")
    assert asked["returncode"] == 0, asked["stderr"]
    assert '"subdomains": true, "preload": true' in asked["stdout"]
