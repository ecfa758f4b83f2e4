"""Roles (as groups), the demo users and the name a user is shown by."""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

RESEARCHER, REVIEWER, EDITOR = "Researcher", "Reviewer", "Editor"

# Model permissions each role gets in the admin; object-level rights come from assignments.
ROLE_PERMISSIONS = {
    RESEARCHER: [
        "view_source",
        "add_source",
        "change_source",
        "view_countryassessment",
        "view_assessmentitem",
    ],
    REVIEWER: ["view_source", "add_source", "change_source", "view_countryassessment", "view_assessmentitem"],
    EDITOR: [
        "view_source",
        "add_source",
        "change_source",
        "view_countryassessment",
        "add_countryassessment",
        "view_assessmentitem",
        "view_assignment",
        "add_assignment",
        "change_assignment",
        "delete_assignment",
        "view_edition",
        "view_country",
        "view_cycle",
        "view_indicator",
        "view_thematicarea",
    ],
}

DEMO_USERS = {
    "researcher": ("r2p-researcher", RESEARCHER, "Rosa Researcher"),
    "reviewer": ("r2p-reviewer", REVIEWER, "Rui Reviewer"),
    "editor": ("r2p-editor", EDITOR, "Eda Editor"),
    "admin": ("r2p-admin", None, "Ada Admin"),
}


def display_name(user: User) -> str:
    """The user's full name, else their username."""
    return user.get_full_name() or user.username


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups with their permissions (idempotent)."""
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="assessments", codename__in=codenames))
        groups[name] = group
    return groups


@transaction.atomic
def demo_users_ensure() -> dict[str, tuple[User, str]]:
    """Create the four demo users if missing; return username → (user, password). Development only."""
    groups = roles_ensure()
    users = {}
    for username, (password, role, full_name) in DEMO_USERS.items():
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(password)
            user.is_staff = role in (EDITOR, None)
            user.is_superuser = role is None
            user.save()
            if role:
                user.groups.add(groups[role])
        users[username] = (user, password)
    return users
