"""The pure core: the workspace document, the snapshot, findings, the sign-off rule and the checks.

Nothing here imports the database, the web or Celery, nor any other package of ours:
the server's services and the workers both stand on it.
"""
