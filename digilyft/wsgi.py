import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from lib.dbwait import limit_waits

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digilyft.settings")
application = get_wsgi_application()
# A web request gives up on a silent database quickly, with a 503 (lib/dbwait.py); the
# background worker and management commands never load this module and wait as before.
limit_waits(settings.DATABASE_REQUEST_WAIT_LIMIT / 1000)
