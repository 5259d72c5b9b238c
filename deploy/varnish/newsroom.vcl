# Varnish in front of the newsroom (Varnish 7.1 or newer, core VCL and vmods only).
#
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -p vcl_path=/etc/varnish -s malloc,1g
#
# The app servers are listed in backends.vcl, beside this file. docs/operations.md ("Varnish and
# CDNs") explains each rule; tests/scale/test_varnish.py runs this file as it is.
#
# - Varnish keeps only what the newsroom marks cacheable: a 200 with `s-maxage` and no cookie set.
#   `s-maxage` never reaches past the next publication time (publish, unpublish, photo rights
#   expiry), and Varnish keeps a page one second less than it says, with no grace: a release
#   scheduled for 10:00:00 is on every page Varnish serves from 10:00:00.
# - Everything else goes to the newsroom untouched: editors (session cookie), a client that has just
#   written (the read replicas' pin cookie), the admin, staff files, previews, language switching,
#   anything but GET and HEAD; error answers (the 404 of an embargoed release, a 5xx) are never kept.
# - The newsroom purges by cache tag after each change: a BAN request from an address of the
#   `newsroom_purgers` list, with the tags in `X-Purge-Tags` (separated by spaces) or
#   `X-Purge-All: 1`.

vcl 4.1;

import directors;
import std;

include "backends.vcl";

acl newsroom_purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = newsroom_apps.backend();
    call vcl_req_host;  # Varnish's own: host names in lower case, HTTP/1.1 without Host refused

    if (req.method == "BAN") {
        if (client.ip !~ newsroom_purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.X-Purge-All == "1") {
            if (!std.ban("obj.status != 0")) {
                return (synth(500, std.ban_error()));
            }
            return (synth(200, "Banned everything"));
        }
        # Tags are letters, digits and : _ - (no regular-expression character), separated by one space.
        if (req.http.X-Purge-Tags !~ "^[A-Za-z0-9:_-]+( [A-Za-z0-9:_-]+)*$") {
            return (synth(400, "X-Purge-Tags: tags separated by single spaces"));
        }
        # Whole tags only ("release:1" does not match "release:12"); the expression names obj.*
        # alone, so the ban lurker applies it in the background.
        if (!std.ban("obj.http.Cache-Tag ~ (^|\s)(" + regsuball(req.http.X-Purge-Tags, " ", "|") + ")(\s|$)")) {
            return (synth(500, std.ban_error()));
        }
        return (synth(200, "Banned"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        if (req.method != "POST" && req.method != "PUT" && req.method != "PATCH" &&
            req.method != "DELETE" && req.method != "OPTIONS") {
            return (synth(405, "Method not allowed"));
        }
        return (pass);
    }
    # What the newsroom's own page cache never serves (core/pagecache.py), Varnish does not either.
    if (req.http.Authorization ||
        req.http.Cookie ~ "(^|;\s*)(sessionid|messages|newsroom_primary)=") {
        return (pass);
    }
    if (req.url ~ "^/(admin|staff|i18n|static|media)/" || req.url ~ "/apercu/") {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # Kept only when the newsroom says so: a 200 with s-maxage, no cookie, nothing private.
    if (beresp.status != 200 ||
        beresp.http.Cache-Control !~ "s-maxage=[0-9]" ||
        beresp.http.Cache-Control ~ "(?i)(no-cache|no-store|private)" ||
        beresp.http.Set-Cookie ||
        beresp.http.Vary == "*") {
        # Not kept. Requests for it are not queued behind one another for a few seconds
        # (hit-for-miss: the next answer may be kept again), and nothing of it is ever served.
        set beresp.uncacheable = true;
        set beresp.ttl = 5s;
        set beresp.grace = 0s;
        set beresp.keep = 0s;
        return (deliver);
    }
    # beresp.ttl is s-maxage here (Varnish's default). One second less covers the time the answer took
    # to come and a difference of up to a second between the app servers' clocks and this one's.
    set beresp.ttl = beresp.ttl - 1s;
    # No grace, no keep: a page is never served past its ttl, even while it is fetched again.
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    if (beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 5s;
        return (deliver);
    }
    return (deliver);
}

sub vcl_deliver {
    # Whether Varnish answered from its store: "hit" or "miss" ("pass" for what it never keeps).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # What a cache further along (a CDN in front of Varnish) may keep: the time this copy has left,
    # counted from now (Age is then 0), so that it never reaches past the page's boundary either.
    if (resp.http.Cache-Control ~ "s-maxage=[0-9]") {
        if (obj.uncacheable || obj.ttl <= 0s) {
            set resp.http.Cache-Control = regsub(resp.http.Cache-Control, "s-maxage=[0-9]+", "s-maxage=0");
        } else {
            set resp.http.Cache-Control = regsub(resp.http.Cache-Control, "s-maxage=[0-9]+",
                "s-maxage=" + std.integer(duration=obj.ttl, fallback=0));
            set resp.http.Age = "0";
        }
    }
    # The tags are for Varnish (and a CDN in front of it, which reads and removes them itself):
    # remove these two lines when a CDN sits in front of Varnish.
    unset resp.http.Cache-Tag;
    unset resp.http.Surrogate-Key;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
