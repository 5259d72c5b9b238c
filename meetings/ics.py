"""iCalendar (RFC 5545) for meetings, written by hand: CRLF line ends, lines folded at 75 octets,
text values escaped (backslash, semicolon, comma, newline), times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone


def escape_text(value: str) -> str:
    value = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(meeting, url: str, domain: str) -> list[str]:
    location = ", ".join(part for part in (meeting.venue, meeting.city, meeting.country) if part)
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{stamp(meeting.edited_at or timezone.now())}",
        f"DTSTART:{stamp(meeting.starts_at)}",
    ]
    if meeting.ends_at:
        lines.append(f"DTEND:{stamp(meeting.ends_at)}")
    lines.append(f"SUMMARY:{escape_text(meeting.title)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if meeting.description:
        lines.append(f"DESCRIPTION:{escape_text(meeting.description)}")
    lines += [f"URL:{url}", "END:VEVENT"]
    return lines


def calendar(meetings, *, request, name: str) -> str:
    domain = request.get_host().split(":")[0] or "newsroom"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Newsroom//Agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines += event_lines(meeting, request.build_absolute_uri(meeting.get_absolute_url()), domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
