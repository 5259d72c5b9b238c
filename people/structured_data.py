"""schema.org ``Person`` of a person page, with their roles."""

from __future__ import annotations

from core.structured_data import organisation, render


def person(request, person_, appointments) -> str:
    """A Person whose ``affiliation`` entries are schema.org ``Role``s with their dates."""
    roles = []
    for appointment in appointments:
        role = {
            "@type": "Role",
            "roleName": appointment.role.title,
            "startDate": appointment.started_on.isoformat(),
            "memberOf": organisation(request, appointment.role.organisation),
        }
        if appointment.ended_on:
            role["endDate"] = appointment.ended_on.isoformat()
        roles.append(role)
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person_.full_name,
        "givenName": person_.given_name,
        "familyName": person_.family_name,
        "url": request.build_absolute_uri(person_.get_absolute_url()),
        "memberOf": roles,
    }
    current = [a for a in appointments if a.ended_on is None]
    if current:
        data["jobTitle"] = current[0].role.title
    return render(data)
