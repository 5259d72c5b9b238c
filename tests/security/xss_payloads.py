"""Cross-site scripting payloads tried in every text field and public query parameter.

Each payload calls ``__xss(n)`` (or opens a dialog) if it ever runs; ``payloads()`` fills in ``n`` so a
report says which one got through. Sources: the OWASP XSS filter evasion cheat sheet and PortSwigger's
XSS cheat sheet, reduced to distinct techniques.
"""

TEMPLATES = [
    # Plain script tags and their variants
    "<script>__xss({n})</script>",
    "<SCRIPT>__xss({n})</SCRIPT>",
    "<script >__xss({n})</script >",
    "<script src=data:text/javascript,__xss({n})></script>",
    "<scr<script>ipt>__xss({n})</scr</script>ipt>",
    '"><script>__xss({n})</script>',
    "'><script>__xss({n})</script>",
    "</title><script>__xss({n})</script>",
    "</textarea><script>__xss({n})</script>",
    "</script><script>__xss({n})</script>",
    "<!--<script>-->__xss({n})<!--</script>-->",
    # Event handlers
    "<img src=x onerror=__xss({n})>",
    "<img src=x onerror='__xss({n})'>",
    '<img src="x" onerror="__xss({n})">',
    "<IMG SRC=x OnErRoR=__xss({n})>",
    "<img/src=x/onerror=__xss({n})>",
    "<svg onload=__xss({n})>",
    "<svg/onload=__xss({n})>",
    "<body onload=__xss({n})>",
    "<input autofocus onfocus=__xss({n})>",
    "<select autofocus onfocus=__xss({n})></select>",
    "<details open ontoggle=__xss({n})>",
    "<video><source onerror=__xss({n})></video>",
    "<audio src=x onerror=__xss({n})>",
    "<marquee onstart=__xss({n})>x</marquee>",
    '<div onmouseover="__xss({n})" style="position:fixed;inset:0">x</div>',
    # Attribute breakouts
    '" onmouseover="__xss({n})',
    "' onmouseover='__xss({n})",
    '" autofocus onfocus="__xss({n})" x="',
    '"><img src=x onerror=__xss({n})>',
    "'><img src=x onerror=__xss({n})>",
    "`><img src=x onerror=__xss({n})>",
    # Dangerous URL schemes
    '<a href="javascript:__xss({n})">lien</a>',
    '<a href="JaVaScRiPt:__xss({n})">lien</a>',
    '<a href=" javascript:__xss({n})">lien</a>',
    '<a href="java&#x09;script:__xss({n})">lien</a>',
    '<a href="&#106;avascript:__xss({n})">lien</a>',
    '<a href="data:text/html,<script>__xss({n})</script>">lien</a>',
    '<a href="vbscript:msgbox({n})">lien</a>',
    "javascript:__xss({n})",
    '<iframe src="javascript:__xss({n})"></iframe>',
    '<iframe srcdoc="<script>parent.__xss({n})</script>"></iframe>',
    '<object data="javascript:__xss({n})"></object>',
    '<embed src="javascript:__xss({n})">',
    '<form action="javascript:__xss({n})"><button>ok</button></form>',
    '<button formaction="javascript:__xss({n})">ok</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss({n})">',
    '<base href="javascript:__xss({n})//">',
    # SVG and MathML
    "<svg><script>__xss({n})</script></svg>",
    '<svg><a xlink:href="javascript:__xss({n})"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=__xss({n}) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="__xss({n})">',
    '<math href="javascript:__xss({n})">x</math>',
    "<svg><style><img src=x onerror=__xss({n})></style></svg>",
    # Template injection (Django, Angular-style)
    "{{ __xss({n}) }}",
    "{% debug %}{{ request }}<img src=x onerror=__xss({n})>",
    "${__xss({n})}",
    "{{constructor.constructor('__xss({n})')()}}",
    # CSS
    '<div style="background:url(javascript:__xss({n}))">x</div>',
    '<div style="width: expression(__xss({n}))">x</div>',
    "<style>@import 'javascript:__xss({n})';</style>",
    '<link rel="stylesheet" href="javascript:__xss({n})">',
    # Encoded variants
    "&lt;script&gt;__xss({n})&lt;/script&gt;",
    "%3Cscript%3E__xss({n})%3C%2Fscript%3E",
    "\\u003cscript\\u003e__xss({n})\\u003c/script\\u003e",
    "<img src=x onerror=&#95;&#95;xss({n})>",
    "<img src=x onerror=\\u005f_xss({n})>",
    "\ufe64script\ufe65__xss({n})\ufe64/script\ufe65",
    # JSON-LD and script-context breakouts
    '</script><img src=x onerror=__xss({n})><script type="application/ld+json">',
    '"}</script><script>__xss({n})</script>',
    # Polyglots
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__xss({n}) )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss({n})//>\\x3e",
    "\"'--></style></script><svg onload=__xss({n})>",
    '<noscript><p title="</noscript><img src=x onerror=__xss({n})>">',
    '<a href="#" onclick="__xss({n})">lien</a><img src=x onerror=alert({n})>',
]


def payloads() -> list[str]:
    """The payloads, numbered from 1."""
    return [template.replace("{n}", str(number)) for number, template in enumerate(TEMPLATES, start=1)]


PAYLOADS = payloads()
