"""URL-in-text cases: a piece of plain text (as typed, or as PDF extraction leaves it) and the URLs in it.

Written for linkcheck's harvest benchmark (`benchmarks/harvest_eval.py`) before the text rules of
issue 12 were changed, from the failure kinds the issue lists and from the shapes URLs take in
articles. Each expected URL is as written in the text (not normalized), in order. A text with a
malformed URL expects nothing from it: an extractor should not offer `http://##` as a citation.

`kind` groups the cases for the per-kind table: plain, punctuation, unicode, control, host, brackets,
wrapped (a URL cut by a line break that must be rejoined), lines (a line break that must not be
rejoined), markup (Markdown-looking text read as plain text).
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    kind: str
    text: str
    urls: list[str]


CASES: list[Case] = [
    # --- plain --------------------------------------------------------------------------------------
    Case(
        "plain",
        "Read the full report at https://example.com/report.html for details.",
        ["https://example.com/report.html"],
    ),
    Case(
        "plain",
        "Full text: https://www.example.org/news/2021/08/10/drills-begin",
        ["https://www.example.org/news/2021/08/10/drills-begin"],
    ),
    Case(
        "plain",
        "Sources: https://a.example.com/x, https://b.example.com/y and https://c.example.com/z.",
        ["https://a.example.com/x", "https://b.example.com/y", "https://c.example.com/z"],
    ),
    Case(
        "plain",
        "The guide (https://docs.example.com/guide/install) explains it.",
        ["https://docs.example.com/guide/install"],
    ),
    Case(
        "plain",
        "Search https://example.com/search?q=linkcheck&lang=en#results now",
        ["https://example.com/search?q=linkcheck&lang=en#results"],
    ),
    Case("plain", "The status page http://example.com:8080/status is up.", ["http://example.com:8080/status"]),
    Case("plain", "Mirror at http://192.0.2.10/index.html.", ["http://192.0.2.10/index.html"]),
    Case("plain", "IPv6 mirror http://[2001:db8::1]/path works", ["http://[2001:db8::1]/path"]),
    Case("plain", "Local copy: http://localhost:8000/api/v1/items", ["http://localhost:8000/api/v1/items"]),
    Case("plain", "Home dir http://example.com/~user/page.html", ["http://example.com/~user/page.html"]),
    Case(
        "plain",
        "Old hashbang https://twitter.com/#!/example/status/1234567",
        ["https://twitter.com/#!/example/status/1234567"],
    ),
    Case(
        "plain",
        "Wiki page https://en.wikipedia.org/wiki/Special:Search?search=drills.",
        ["https://en.wikipedia.org/wiki/Special:Search?search=drills"],
    ),
    Case(
        "plain",
        "Map https://example.com/maps?ll=55.75,37.61&z=10, then the rest",
        ["https://example.com/maps?ll=55.75,37.61&z=10"],
    ),
    Case(
        "plain",
        "Statement: https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews",
        ["https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"],
    ),
    Case(
        "plain",
        "Session https://example.com/path;jsessionid=ABC123?x=1 kept",
        ["https://example.com/path;jsessionid=ABC123?x=1"],
    ),
    Case(
        "plain",
        "Tags https://example.com/a+b+c and https://example.com/price$list",
        ["https://example.com/a+b+c", "https://example.com/price$list"],
    ),
    Case("plain", "Encoded https://example.com/a%20b/c%2Fd?x=1%262 here", ["https://example.com/a%20b/c%2Fd?x=1%262"]),
    Case("plain", "Upper case HTTPS://EXAMPLE.COM/Path works too", ["HTTPS://EXAMPLE.COM/Path"]),
    Case("plain", "Files at ftp://ftp.example.com/pub/file.txt", ["ftp://ftp.example.com/pub/file.txt"]),
    Case("plain", "Short form www.example.com/path is common.", ["www.example.com/path"]),
    Case("plain", "Visit www.example.org.", ["www.example.org"]),
    Case(
        "plain", "Two on a line https://a.example/1 https://b.example/2", ["https://a.example/1", "https://b.example/2"]
    ),
    Case("plain", "Write to desk@example.com, not a URL.", []),
    Case("plain", "Version 2.0.1 was released on 10.08.2021.", []),
    Case("plain", "A broken scheme http:/example.com/a is not a URL", []),
    Case("plain", "Nothing after the scheme: http:// and https://", []),
    Case(
        "plain",
        "Archived https://web.archive.org/web/20210810000000/https://example.com/page",
        ["https://web.archive.org/web/20210810000000/https://example.com/page"],
    ),
    Case(
        "plain",
        "Redirect https://www.google.com/url?q=https://example.com/&sa=D",
        ["https://www.google.com/url?q=https://example.com/&sa=D"],
    ),
    Case(
        "plain",
        "The Guardian https://www.theguardian.com/world/2021/aug/10/russia-china-joint-military-exercise reported it.",
        ["https://www.theguardian.com/world/2021/aug/10/russia-china-joint-military-exercise"],
    ),
    Case("plain", "Fragment https://example.com/#section-2.", ["https://example.com/#section-2"]),
    Case("plain", "Next https://example.com/?next=/home here", ["https://example.com/?next=/home"]),
    Case("plain", "Trailing dot host https://example.com./a works", ["https://example.com./a"]),
    Case("plain", "Punycode http://xn--e1afmkfd.xn--p1ai/ is fine", ["http://xn--e1afmkfd.xn--p1ai/"]),
    # --- punctuation that ends a sentence, not the URL ---------------------------------------------
    Case("punctuation", "See http://example.com.", ["http://example.com"]),
    Case("punctuation", "Is it https://example.com/faq?", ["https://example.com/faq"]),
    Case("punctuation", "Wow https://example.com/wow!", ["https://example.com/wow"]),
    Case("punctuation", "Then https://example.com/a: the rest", ["https://example.com/a"]),
    Case("punctuation", "End https://example.com/a;", ["https://example.com/a"]),
    Case("punctuation", "Long https://example.com/long…", ["https://example.com/long"]),
    Case("punctuation", "A folder https://example.com/dir/.", ["https://example.com/dir/"]),
    Case("punctuation", "Quoted “https://example.com/curly”.", ["https://example.com/curly"]),
    Case("punctuation", "Quoted 'https://example.com/single'.", ["https://example.com/single"]),
    Case("punctuation", 'Quoted "https://example.com/double", he said', ["https://example.com/double"]),
    Case("punctuation", "Angle <https://example.com/angle>", ["https://example.com/angle"]),
    Case("punctuation", "French « https://www.lemonde.fr/a.html ».", ["https://www.lemonde.fr/a.html"]),
    Case(
        "punctuation",
        "Russian «https://ria.ru/20210810/ucheniya-1745151.html».",
        ["https://ria.ru/20210810/ucheniya-1745151.html"],
    ),
    Case("punctuation", "Many https://example.com/a?!.", ["https://example.com/a"]),
    Case("punctuation", "Dash https://example.com/a—the source of it", ["https://example.com/a"]),
    Case("punctuation", "Footnote mark https://example.com/report¹ in prose", ["https://example.com/report"]),
    # --- Unicode text and punctuation around URLs --------------------------------------------------
    Case(
        "unicode", "Path https://ru.wikipedia.org/wiki/Москва is the article.", ["https://ru.wikipedia.org/wiki/Москва"]
    ),
    Case("unicode", "Host https://пример.рф/новости/1 works", ["https://пример.рф/новости/1"]),
    Case("unicode", "详见https://example.cn/news/1.html。", ["https://example.cn/news/1.html"]),
    Case("unicode", "詳細はhttps://example.jp/a/b（日本語）をご覧ください", ["https://example.jp/a/b"]),
    Case("unicode", "公式サイト｜https://example.jp/top｜ニュース", ["https://example.jp/top"]),
    Case("unicode", "https://example.com/a｜https://example.com/b", ["https://example.com/a", "https://example.com/b"]),
    Case(
        "unicode",
        "链接：https://example.cn/a，另见https://example.cn/b。",
        ["https://example.cn/a", "https://example.cn/b"],
    ),
    Case("unicode", "见 https://example.cn/a\u3000其他", ["https://example.cn/a"]),
    Case("unicode", "「https://example.jp/q」と書いた", ["https://example.jp/q"]),
    Case("unicode", "see https://example.com/nbsp\u00a0today", ["https://example.com/nbsp"]),
    Case("unicode", "joined https://example.com/zw\u200bby a zero-width space", ["https://example.com/zw"]),
    Case("unicode", "中文维基 https://zh.wikipedia.org/wiki/北京 页面", ["https://zh.wikipedia.org/wiki/北京"]),
    Case("unicode", "리포트https://example.kr/news/1。", ["https://example.kr/news/1"]),
    Case(
        "unicode",
        "See https://example.com/a、https://example.com/b",
        ["https://example.com/a", "https://example.com/b"],
    ),
    Case("unicode", "Arabic comma https://example.com/ar، then", ["https://example.com/ar"]),
    # --- control characters ------------------------------------------------------------------------
    Case("control", "Delete http://example.com/a\x7fb here", ["http://example.com/a"]),
    Case("control", "C1 http://example.com/c\x9fd here", ["http://example.com/c"]),
    Case("control", "NUL http://example.com/x\x00y here", ["http://example.com/x"]),
    Case("control", "Escape http://example.com/e\x1b[0m done", ["http://example.com/e"]),
    Case("control", "Form feed http://example.com/f\x0cnext page", ["http://example.com/f"]),
    # --- hosts a URL parser refuses ----------------------------------------------------------------
    Case("host", "Leading dot http://.example.com here", []),
    Case("host", "Leading hyphen http://-example.com/x here", []),
    Case("host", "Trailing hyphen http://example-.com/x here", []),
    Case("host", "Just hashes http://## here", []),
    Case("host", "Double dot www.example..com here", []),
    Case("host", "Double dot http://example..com/a here", []),
    Case("host", "Port too large http://example.com:99999/ here", []),
    Case("host", "Five numbers http://1.2.3.4.5/ here", []),
    Case("host", "Octet too large http://256.1.1.1/ here", []),
    Case("host", "Unclosed IPv6 http://[::1/ here", []),
    Case("host", "Bang http://!example.com here", []),
    Case("host", "Space after scheme https:// example.com here", []),
    Case("host", "Good then bad: https://ok.example/ and http://.bad.example/", ["https://ok.example/"]),
    # --- brackets and quotes inside paths ----------------------------------------------------------
    Case(
        "brackets",
        "See http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx",
        ["http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx"],
    ),
    Case(
        "brackets",
        "(see http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx)",
        ["http://msdn.microsoft.com/en-us/library/ms535874(v=vs.85).aspx"],
    ),
    Case(
        "brackets",
        "Docs http://msdn.microsoft.com/en-us/library/aa752574(VS.85).aspx.",
        ["http://msdn.microsoft.com/en-us/library/aa752574(VS.85).aspx"],
    ),
    Case(
        "brackets",
        "Wiki https://en.wikipedia.org/wiki/Python_(programming_language).",
        ["https://en.wikipedia.org/wiki/Python_(programming_language)"],
    ),
    Case(
        "brackets",
        "(https://en.wikipedia.org/wiki/Python_(programming_language))",
        ["https://en.wikipedia.org/wiki/Python_(programming_language)"],
    ),
    Case("brackets", "Both https://example.com/foo_(bar)_(baz) kept", ["https://example.com/foo_(bar)_(baz)"]),
    Case("brackets", "Quoted path http://example.com/'quoted' here", ["http://example.com/'quoted'"]),
    Case("brackets", "Quoted path at the end: http://example.com/say/'hello'", ["http://example.com/say/'hello'"]),
    Case("brackets", "Apostrophe http://example.com/it's-fine ok", ["http://example.com/it's-fine"]),
    Case("brackets", "In quotes 'http://example.com/x' ok", ["http://example.com/x"]),
    Case("brackets", "Square https://example.com/a[1]/b kept", ["https://example.com/a[1]/b"]),
    Case("brackets", "[https://example.com/in-brackets]", ["https://example.com/in-brackets"]),
    Case("brackets", "{https://example.com/in-braces}", ["https://example.com/in-braces"]),
    Case("brackets", "Stray https://example.com/a)b here", ["https://example.com/a"]),
    Case(
        "brackets",
        "(Also: https://example.com/one, https://example.com/two)",
        ["https://example.com/one", "https://example.com/two"],
    ),
    # --- a URL cut by a line break that must be rejoined (PDF text) --------------------------------
    Case(
        "wrapped",
        "The statement:\nhttps://example.com/news/2021/08/\n10/drills.html\n\nNext paragraph.",
        ["https://example.com/news/2021/08/10/drills.html"],
    ),
    Case(
        "wrapped",
        "Related article:\nhttps://www.themoscowtimes.com/2021/08/10/russia-holds-\ndrills-in-tajikistan\n",
        ["https://www.themoscowtimes.com/2021/08/10/russia-holds-drills-in-tajikistan"],
    ),
    Case(
        "wrapped",
        "Ministry: https://function.mil.ru/news_page/country/more.htm?id=\n12376355@egNews\n",
        ["https://function.mil.ru/news_page/country/more.htm?id=12376355@egNews"],
    ),
    Case("wrapped", "File https://example.com/data_\nset_2021.csv\n", ["https://example.com/data_set_2021.csv"]),
    Case("wrapped", "Query https://example.com/a?\nid=5&x=1\n", ["https://example.com/a?id=5&x=1"]),
    Case("wrapped", "Read it at https://example.com/a/\nb/c.html today", ["https://example.com/a/b/c.html"]),
    Case(
        "wrapped",
        "Kommersant (https://www.kommersant.ru/doc/4936744?from=\nfour_mir).",
        ["https://www.kommersant.ru/doc/4936744?from=four_mir"],
    ),
    Case("wrapped", "Cut at the scheme https://\nexample.com/after-scheme\n", ["https://example.com/after-scheme"]),
    Case(
        "wrapped",
        "Slug https://example.com/2021/08/10/long-\nslug-words.html\n",
        ["https://example.com/2021/08/10/long-slug-words.html"],
    ),
    Case(
        "wrapped",
        "Path https://example.com/reports/annual/\n2021.pdf\n",
        ["https://example.com/reports/annual/2021.pdf"],
    ),
    # --- a line break that must not be rejoined ----------------------------------------------------
    Case("lines", "See https://example.com/a/b.\n[3] Another note follows", ["https://example.com/a/b"]),
    Case("lines", "One https://example.com/e.\n3. Last item", ["https://example.com/e"]),
    Case("lines", "Lists https://example.com/list/\n- next item\n", ["https://example.com/list/"]),
    Case("lines", "Lists https://example.com/list/\n* next item\n", ["https://example.com/list/"]),
    Case("lines", "Bullets https://example.com/a.\n• bullet two\n", ["https://example.com/a"]),
    Case("lines", "(see https://example.com/a)\n(b) second point\n", ["https://example.com/a"]),
    Case("lines", "http://example.com\nslack://open?team=T123", ["http://example.com"]),
    Case(
        "lines", "https://example.com/l/\n²https://example.com/m", ["https://example.com/l/", "https://example.com/m"]
    ),
    Case("lines", "https://www.rust-lang.org/\ntest@foo.example.org", ["https://www.rust-lang.org/"]),
    Case(
        "lines", "https://example.com/a/\nhttps://example.com/b/", ["https://example.com/a/", "https://example.com/b/"]
    ),
    Case("lines", "https://example.com/a.\nhttps://example.com/b.", ["https://example.com/a", "https://example.com/b"]),
    Case("lines", "https://example.com/a\nwww.example.com/b", ["https://example.com/a", "www.example.com/b"]),
    Case(
        "lines",
        "https://example.com/x/\n[12] https://example.com/y",
        ["https://example.com/x/", "https://example.com/y"],
    ),
    Case("lines", "Source: https://example.com/x.\n12 Ibid., p. 4.", ["https://example.com/x"]),
    Case("lines", "Report https://example.com/report.\nThe next sentence starts here.", ["https://example.com/report"]),
    Case("lines", "Report https://example.com/report/\nonline since May.", ["https://example.com/report/"]),
    Case("lines", "Start https://example.com/\n1) First point", ["https://example.com/"]),
    Case("lines", "Numerals https://example.com/a.\niv. Fourth point", ["https://example.com/a"]),
    Case("lines", "Letters https://example.com/a.\na) first", ["https://example.com/a"]),
    Case("lines", "Mail https://example.com/x/\nmailto:desk@example.com", ["https://example.com/x/"]),
    Case("lines", "Superscript https://example.com/p/\n³ Ibid.", ["https://example.com/p/"]),
    Case("lines", "Note https://example.com/n.\n[a] Second note", ["https://example.com/n"]),
    Case("lines", "Dash https://example.com/d/\n— an aside", ["https://example.com/d/"]),
    Case(
        "lines",
        "Ftp https://example.com/f/\nftp://files.example.com/x.zip",
        ["https://example.com/f/", "ftp://files.example.com/x.zip"],
    ),
    Case(
        "lines", "A https://example.com/a\n\nhttps://example.com/b", ["https://example.com/a", "https://example.com/b"]
    ),
    Case(
        "lines",
        "Numbered list:\n1. https://example.com/one.\n2. https://example.com/two.\n3. https://example.com/three.",
        ["https://example.com/one", "https://example.com/two", "https://example.com/three"],
    ),
    Case(
        "lines",
        "Footnotes\n1 https://example.com/one/\n2 https://example.com/two/\n",
        ["https://example.com/one/", "https://example.com/two/"],
    ),
    # --- Markdown-looking text read as plain text --------------------------------------------------
    Case(
        "markup",
        "[[https://example.com/destination]][[https://example.org/other]]",
        ["https://example.com/destination", "https://example.org/other"],
    ),
    Case(
        "markup", "[https://example.com/a](https://example.com/a)", ["https://example.com/a", "https://example.com/a"]
    ),
    Case("markup", "Link [label](https://example.com/md) in text", ["https://example.com/md"]),
    Case("markup", "Auto <https://example.com/auto> link", ["https://example.com/auto"]),
    Case("markup", "Image ![chart](https://example.com/chart.png) here", ["https://example.com/chart.png"]),
    Case(
        "markup",
        "Glued [a](https://example.com/a)[b](https://example.com/b)",
        ["https://example.com/a", "https://example.com/b"],
    ),
    Case(
        "markup",
        "Pipe table | https://example.com/t1 | https://example.com/t2 |",
        ["https://example.com/t1", "https://example.com/t2"],
    ),
    Case("markup", "Wiki style [https://example.com/w label text]", ["https://example.com/w"]),
]
