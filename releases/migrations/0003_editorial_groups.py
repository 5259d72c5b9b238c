"""The three editorial profiles as groups with their model permissions.

Organisation access is not a permission: it comes from OrganisationMembership (releases/permissions.py).
"""

from django.db import migrations

PRESS_OFFICER = "Chargé de presse"
EDITOR = "Éditeur"
CENTRAL_EDITOR = "Éditeur central"

WRITE = ("view", "add", "change")
PRESS_OFFICER_PERMISSIONS = {
    "releases": {
        "release": WRITE,
        "releaseorganisation": (*WRITE, "delete"),
        "releaseupdate": ("view",),
    },
    "meetings": {"meeting": WRITE, "participation": (*WRITE, "delete")},
    "media": {"photo": WRITE, "photoperson": (*WRITE, "delete"), "gallery": WRITE, "galleryitem": (*WRITE, "delete")},
    "people": {"person": ("view",), "organisation": ("view",), "role": ("view",), "appointment": ("view",)},
    "newsroom": {"tag": ("view", "add")},
}
EDITOR_EXTRA = {
    "releases": {"release": ("delete", "publish_release"), "previewlink": ("view", "add", "change")},
    "meetings": {"meeting": ("delete",)},
    "media": {"gallery": ("delete",)},
    "newsroom": {"auditentry": ("view",)},
}
CENTRAL_EXTRA = {"releases": {"release": ("view_all_releases",)}}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                codename = action if "_" in action else f"{action}_{model}"
                yield app_label, model, codename


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(*specs):
        found = []
        for spec in specs:
            for app_label, model, codename in codenames(spec):
                found.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, content_type__model=model, codename=codename
                    )
                )
        return found

    profiles = {
        PRESS_OFFICER: permissions(PRESS_OFFICER_PERMISSIONS),
        EDITOR: permissions(PRESS_OFFICER_PERMISSIONS, EDITOR_EXTRA),
        CENTRAL_EDITOR: permissions(PRESS_OFFICER_PERMISSIONS, EDITOR_EXTRA, CENTRAL_EXTRA),
    }
    for name, perms in profiles.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[PRESS_OFFICER, EDITOR, CENTRAL_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("releases", "0002_publication_rules"),
        ("meetings", "0002_initial"),
        ("media", "0002_initial"),
        ("people", "0001_initial"),
        ("newsroom", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
