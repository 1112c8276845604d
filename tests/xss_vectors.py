"""A corpus of cross-site scripting vectors, and a check that none of them is live.

Reusable by any test module::

    from tests.xss_vectors import XSS_VECTORS, assert_no_live_vector

    assert_no_live_vector(response.content.decode())

``assert_no_live_vector`` reads the HTML the way a browser does and fails on
anything a vector could have made executable: an ``on*=`` handler, a
``javascript:``/``data:``/``vbscript:`` URL, an inline script or element that runs code
(``<script>``, ``<iframe srcdoc>``, ``<object>``, ``<embed>``, ``<base>``, ``<meta
http-equiv=refresh>``), or a ``<style>`` with an expression. The page's own markup
must pass it too, which the package's templates do: they have no inline script, style
or handler (a strict Content-Security-Policy).
"""

from html.parser import HTMLParser

from django.utils.html import escape

#: Vectors from the OWASP filter evasion cheat sheet and PortSwigger's list, plus
#: template syntax, Unicode tricks and spreadsheet formulas. Each is a plain string a
#: person could type or paste into a field.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.invalid/xss.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<img src=x onerror=alert(1)//",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    "<img src=1 onerror\u3000=alert(1)>",
    "'><svg onload=alert(1)>",
    "<svg/onload=alert(document.domain)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<BODY ONLOAD=alert('XSS')>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "' autofocus onfocus='alert(1)",
    '" onmouseover="alert(1)" x="',
    "javascript:alert(document.cookie)",
    '<a href="javascript:alert(1)">Läs mer</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "&lt;b&gt;already escaped&lt;/b&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ request.META }}",
    "${7*7}",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",  # fullwidth < and >
    "\u202e<b>txt.exe</b>",  # right-to-left override before a tag
    "<scr\u200bipt>alert(1)</scr\u200bipt>",  # zero-width space inside the tag name
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '=HYPERLINK("https://evil.invalid","klicka")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


class _Probe(HTMLParser):
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
    DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
    # (<svg> itself is harmless, and Wagtail's admin draws its icons with it; its
    # scripts and handlers are caught like any other.)
    ACTIVE_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._inline = None

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): value or "" for name, value in attrs}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            url = "".join(value.split()).lower()
            if name in self.URL_ATTRIBUTES and url.startswith(self.DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and ("expression(" in url or "javascript:" in url):
                self.problems.append(f"<{tag} style={value!r}>")
        if tag in self.ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag in ("script", "style") and not attrs.get("src"):
            self._inline = (tag, "")
        elif tag == "script" and "evil" in attrs.get("src", ""):
            self.problems.append(f"<script src={attrs['src']!r}>")

    def handle_endtag(self, tag):
        if self._inline and tag == self._inline[0]:
            kind, text = self._inline
            if "alert" in text or "javascript:" in text or "expression(" in text:
                self.problems.append(f"<{kind}>{text}</{kind}>")
            self._inline = None

    def handle_data(self, data):
        if self._inline:
            self._inline = (self._inline[0], self._inline[1] + data)


def live_vectors(html):
    """What in ``html`` a browser would run, as a list of descriptions (empty: nothing)."""
    probe = _Probe()
    probe.feed(html)
    probe.close()
    return probe.problems


def assert_no_live_vector(html):
    """Fail if ``html`` (a page or an HTML e-mail) has anything a browser would run."""
    problems = live_vectors(html)
    assert problems == [], f"live markup in the page: {problems}"


def assert_shown_as_text(html, vector):
    """``vector`` is in ``html`` escaped, as text; where escaping changes it, never raw."""
    assert escape(vector) in html, f"{vector!r} is not shown as text"
    if escape(vector) != vector:
        assert vector not in html, f"{vector!r} is in the page unescaped"
    assert_no_live_vector(html)
