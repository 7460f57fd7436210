"""The Celery application of this process, configured from the environment.

Imported by ``lanterne-rouge worker`` and ``beat`` (and by Celery's own ``-A`` option:
``celery -A lanterne_rouge.cluster.worker_app worker``).
"""

from __future__ import annotations

from lanterne_rouge.cluster.app import make_app
from lanterne_rouge.cluster.settings import load_cluster_settings

app = make_app(load_cluster_settings())
