"""schema.org ``Event`` of a meeting page."""

from __future__ import annotations

from django.utils.translation import get_language

from core.structured_data import main_entity_of_page, organisation, render


def event(request, meeting, participations, url: str) -> str:
    """``url``: the meeting's canonical address (``sites.addresses``)."""
    location = {"@type": "Place", "name": meeting.venue or meeting.city or ""}
    address = {"@type": "PostalAddress"}
    if meeting.city:
        address["addressLocality"] = meeting.city
    if meeting.country:
        address["addressCountry"] = meeting.country
    location["address"] = address
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "inLanguage": get_language(),
        "url": url,
        "mainEntityOfPage": main_entity_of_page(url),
        "startDate": meeting.starts_at.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "performer": [
            {"@type": "Person", "name": p.appointment.person.full_name, "jobTitle": p.appointment.role.title}
            for p in participations
        ],
    }
    if meeting.ends_at:
        data["endDate"] = meeting.ends_at.isoformat()
    if meeting.description:
        data["description"] = meeting.description
    if meeting.host:
        data["organizer"] = organisation(request, meeting.host)
    return render(data)
