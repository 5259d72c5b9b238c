import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first administrator account if there is none. The name and password come from "
        "ADMIN_USERNAME and ADMIN_PASSWORD, or are generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Administrator account '{username}' already exists.")
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=os.environ.get("ADMIN_EMAIL", ""), password=password)
        self.stdout.write(self.style.SUCCESS("Administrator account created (shown only this once):"))
        self.stdout.write(f"  user:     {username}")
        if "ADMIN_PASSWORD" in os.environ:
            self.stdout.write("  password: the value of ADMIN_PASSWORD")
        else:
            self.stdout.write(f"  password: {password}")
