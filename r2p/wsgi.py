import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "r2p.settings.prod")
django_application = get_wsgi_application()

# Published editions' files (/files/editions/<hashed name>) are answered before Django, as static files are:
# no middleware, no database (assessments/background/serving.py). runserver uses this application too.
from assessments.background.serving import EditionFiles  # noqa: E402  (needs the settings loaded above)

application = EditionFiles(django_application)

from r2p.runtime import tune_garbage_collector  # noqa: E402

tune_garbage_collector()  # once per server process, after everything above has been loaded
