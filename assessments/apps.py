from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "R2P assessments"

    def ready(self) -> None:
        from assessments.accounts import security  # noqa: F401  (connects the login signal receiver)
        from assessments.background import failures  # noqa: F401  (keeps failed tasks for the staff page)
