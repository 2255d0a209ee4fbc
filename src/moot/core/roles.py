"""Keeps the role groups (Editors, Analysts) and their permissions in every database."""

from __future__ import annotations

from typing import Any

from moot.core.permissions import PERMISSIONS, ROLE_CAPABILITIES, ROLE_MODEL_PERMISSIONS


def ensure_role_groups(*, using: str = "default") -> None:
    """Create the role groups and give them their permissions; safe to run any time."""
    from django.contrib.auth.models import Group, Permission

    capability_codenames = [permission.split(".")[1] for permission in PERMISSIONS.values()]
    for group_name, capabilities in ROLE_CAPABILITIES.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted: list[Permission] = []
        for capability in capabilities:
            if capability not in PERMISSIONS:
                continue
            app_label, codename = PERMISSIONS[capability].split(".")
            wanted.extend(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        for app_label, model_names in ROLE_MODEL_PERMISSIONS[group_name].items():
            # Only the admin's model permissions: the capabilities above are permissions on
            # the consultation model too, and must not come with it.
            wanted.extend(
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, content_type__model__in=model_names)
                .exclude(codename__in=capability_codenames)
            )
        group.permissions.add(*wanted)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # An app's permissions exist once its own post_migrate has run.
    granting = {permission.split(".")[0] for permission in PERMISSIONS.values()}
    granting |= {label for models in ROLE_MODEL_PERMISSIONS.values() for label in models}
    if getattr(sender, "label", "") in granting:
        ensure_role_groups(using=using)
