"""Who does what with alerts and embargoed copies: editors send embargoed copies and revoke their
links; central editors also keep the journalists' lists and may export subscribers' addresses (for a
data request). Everyone on staff with the view permission sees subscription counts only."""

from django.db import migrations

EDITOR = "Éditeur"
CENTRAL_EDITOR = "Éditeur central"

EDITOR_PERMISSIONS = {
    "subscription": ("view",),
    "embargosend": ("view", "add"),
    "journalistlist": ("view",),
    "journalist": ("view",),
}
CENTRAL_PERMISSIONS = {
    "subscription": ("view", "export"),
    "embargosend": ("view", "add"),
    "journalistlist": ("view", "add", "change", "delete"),
    "journalist": ("view", "add", "change", "delete"),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ((EDITOR, EDITOR_PERMISSIONS), (CENTRAL_EDITOR, CENTRAL_PERMISSIONS)):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for model, actions in spec.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label="alerts", codename=f"{action}_{model}")
                )


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("releases", "0003_editorial_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
