"""Django's PostgreSQL backend with the web server's limit on database waits (``lib.dbwait``).

``settings.DATABASES`` names it (ENGINE ``lib.postgresql``) whenever ``DATABASE_URL`` is a
PostgreSQL one; everything else is Django's backend unchanged.
"""
