import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberdiplo.settings")

application = get_wsgi_application()

# The page cache's key names the release, a digest of the code: worked out as the worker
# starts, not during its first request.
from django.conf import settings  # noqa: E402

if settings.PAGE_CACHE:
    from core.pagecache import release  # noqa: E402

    release()

# Each request's cyclic garbage freed as it ends (cyberdiplo/memory.py).
from cyberdiplo import memory  # noqa: E402

memory.install()
