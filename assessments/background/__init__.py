"""Background work on Django's tasks API (django-tasks): tasks, retries, failures, rendered files, releases."""
