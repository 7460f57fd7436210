"""Many athletes: Celery workers and beat over PostgreSQL and Redis (the ``[cluster]`` extra).

Nothing here is imported by the single-athlete daily run; Celery, Redis and psycopg are
imported only by the modules that need them.
"""
