"""The OpenAPI 3.1 description of the read-only API, served at ``/api/v1/openapi.json``."""

_lang = {
    "name": "lang",
    "in": "query",
    "description": "Reader's language; a release missing in it comes in its original language.",
    "schema": {"type": "string", "enum": ["fr", "de", "en", "lb"], "default": "fr"},
}
_page = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}


def _query(name, description, schema=None):
    return {"name": name, "in": "query", "description": description, "schema": schema or {"type": "string"}}


_error = {
    "description": "Invalid parameters",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_not_found = {"description": "Not found or not public"}
_not_modified = {"description": "Not modified (the ETag given in If-None-Match still matches)"}


def _ok(ref):
    return {
        "description": "OK",
        "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Newsroom API",
        "version": "1.0.0",
        "description": "Read-only access to the public press releases, people, organisations and meetings. "
        "Only public content is returned; embargoed items do not exist for the API.",
    },
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/releases/": {
            "get": {
                "summary": "Public releases, newest first, or ranked by relevance with q",
                "parameters": [
                    _lang,
                    _query("q", 'Full-text search (web-search syntax: "phrase", -word, or).'),
                    _query(
                        "kind",
                        "Release kind",
                        {
                            "type": "string",
                            "enum": ["communique", "article", "speech", "interview", "press_conference"],
                        },
                    ),
                    _query("organisation", "Issuing organisation slug"),
                    _query("person", "Slug of a person mentioned"),
                    _query("tag", "Tag slug"),
                    _query("meeting", "Meeting slug"),
                    _query("date_from", "Published on or after (YYYY-MM-DD)", {"type": "string", "format": "date"}),
                    _query("date_to", "Published on or before (YYYY-MM-DD)", {"type": "string", "format": "date"}),
                    _page,
                    _query("before", "Keyset cursor (from a next link)"),
                    _query("after", "Keyset cursor (from a previous link)"),
                ],
                "responses": {"200": _ok("ReleaseList"), "304": _not_modified, "400": _error, "404": _not_found},
            }
        },
        "/releases/{id}/": {
            "get": {
                "summary": "One public release",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}, _lang],
                "responses": {"200": _ok("Release"), "304": _not_modified, "404": _not_found},
            }
        },
        "/people/": {
            "get": {
                "summary": "People named by public content, with their roles",
                "parameters": [_lang, _page],
                "responses": {"200": _ok("PageOfObjects"), "304": _not_modified, "400": _error},
            }
        },
        "/organisations/": {
            "get": {
                "summary": "Organisations",
                "parameters": [_lang, _page],
                "responses": {"200": _ok("PageOfObjects"), "304": _not_modified, "400": _error},
            }
        },
        "/meetings/": {
            "get": {
                "summary": "Public meetings, newest first",
                "parameters": [_lang, _page],
                "responses": {"200": _ok("PageOfObjects"), "304": _not_modified, "400": _error},
            }
        },
        "/meetings/{slug}/": {
            "get": {
                "summary": "One public meeting with its participants",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}, _lang],
                "responses": {"200": _ok("Object"), "304": _not_modified, "404": _not_found},
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}, "details": {}}},
            "Object": {"type": "object"},
            "PageOfObjects": {
                "type": "object",
                "properties": {
                    "results": {"type": "array", "items": {"type": "object"}},
                    "page": {"type": "integer"},
                    "has_next": {"type": "boolean"},
                },
            },
            "ReleaseSummary": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string"},
                    "title": {"type": "string"},
                    "lead": {"type": "string"},
                    "language": {"type": "string", "description": "Language of title, lead and body"},
                    "original_language": {"type": "string"},
                    "translations": {"type": "array", "items": {"type": "string"}},
                    "published_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                    "withdrawn": {"type": "boolean"},
                    "organisations": {"type": "array", "items": {}},
                    "url": {
                        "type": "string",
                        "format": "uri",
                        "description": "The release's one canonical address, whichever site's API answers",
                    },
                    "api_url": {"type": "string", "format": "uri"},
                    "snippet_html": {"type": "string", "description": "With q: matched terms in <mark>"},
                },
            },
            "ReleaseList": {
                "type": "object",
                "properties": {
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/ReleaseSummary"}},
                    "next": {"type": ["string", "null"], "format": "uri"},
                    "previous": {"type": ["string", "null"], "format": "uri"},
                },
            },
            "Release": {
                "allOf": [
                    {"$ref": "#/components/schemas/ReleaseSummary"},
                    {
                        "type": "object",
                        "properties": {
                            "body_html": {"type": "string"},
                            "alternates": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                                "description": "Its address in each language it is translated into, on the site of url",
                            },
                            "people": {"type": "array", "items": {"type": "object"}},
                            "tags": {"type": "array", "items": {"type": "object"}},
                            "photos": {"type": "array", "items": {"type": "object"}},
                            "updates": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                ]
            },
        }
    },
}
