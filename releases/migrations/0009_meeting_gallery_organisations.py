"""Meetings and galleries stored with their organisations (the site filter): filled for existing rows."""

from django.db import migrations

FILL = """
UPDATE meetings_meeting m SET organisation_ids = ARRAY(
    SELECT DISTINCT o FROM (
        SELECT m.host_id AS o
        UNION SELECT r.organisation_id FROM meetings_participation p
            JOIN people_appointment a ON a.id = p.appointment_id
            JOIN people_role r ON r.id = a.role_id WHERE p.meeting_id = m.id
        UNION SELECT ro.organisation_id FROM releases_releaseorganisation ro
            JOIN releases_release rel ON rel.id = ro.release_id WHERE rel.meeting_id = m.id
    ) found WHERE o IS NOT NULL ORDER BY o
);
UPDATE media_gallery g SET organisation_ids = ARRAY(
    SELECT DISTINCT ro.organisation_id FROM releases_releaseorganisation ro
        JOIN releases_release rel ON rel.id = ro.release_id WHERE rel.gallery_id = g.id ORDER BY 1
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0008_preview_link_recipient"),
        ("meetings", "0004_meeting_organisation_ids"),
        ("media", "0006_gallery_organisation_ids"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
