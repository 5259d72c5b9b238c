"""Central editors keep the sites (host names, branding, footer); other editors see none of it."""

from django.db import migrations

CENTRAL_EDITOR = "Éditeur central"
MODELS = ("site", "sitehost", "sitelink")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("sites")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=CENTRAL_EDITOR).first()
    if group is None:
        return
    for model in MODELS:
        for action in ("view", "add", "change", "delete"):
            group.permissions.add(Permission.objects.get(content_type__app_label="sites", codename=f"{action}_{model}"))


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_sites"), ("releases", "0003_editorial_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
