"""Write the long-tail date set (stress/*.html and stress.json) for `benchmarks/harvest_eval.py`.

Written AFTER linkcheck's date rules of issue 12, on purpose: to find where htmldate adds to them.
Every page here puts its date where linkcheck has no rule: a byline in a language whose month
names linkcheck does not know (Swedish, Czech, Hungarian, Greek, Croatian, Lithuanian, Arabic,
Hebrew, Hindi, Slovak, Indonesian, Vietnamese), a date in a side column far from the text, a date
only in a `data-` attribute or an HTML comment; and a third of the pages have no date at all (a
footer's "© 2024" and a clock in the header are all they show). Its figures are reported apart.

    python benchmarks/harvest_corpus/build_stress.py
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
STRESS = HERE / "stress"

# (language, cue, date written in that language)
BYLINES: list[tuple[str, str, str]] = [
    ("sv", "Publicerad", "{d} augusti {y}"),
    ("cs", "Publikováno", "{d}. srpna {y}"),
    ("hu", "Közzétéve:", "{y}. augusztus {d}."),
    ("el", "Δημοσιεύθηκε", "{d} Αυγούστου {y}"),
    ("hr", "Objavljeno", "{d}. kolovoza {y}."),
    ("lt", "Paskelbta", "{y} m. rugpjūčio {d} d."),
    ("ar", "نشر في", "{d} أغسطس {y}"),
    ("he", "פורסם", "{d} באוגוסט {y}"),
    ("hi", "प्रकाशित", "{d} अगस्त {y}"),
    ("sk", "Publikované", "{d}. augusta {y}"),
    ("id", "Diterbitkan", "{d} Agustus {y}"),
    ("vi", "Đăng ngày", "ngày {d} tháng 8 năm {y}"),
]
PROSE = (
    "The harbour authority said the new berths would open next spring, and shipping lines welcomed "
    "the plan. Local residents asked for a study of the traffic the terminal would bring. "
)


def page(lang: str, date_html: str, extra_head: str = "", side: str = "") -> str:
    body = "".join(f"<p>{PROSE}</p>" for _ in range(6))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Harbour</title>{extra_head}</head>
<body><header class="site-header"><a href="/">Home</a> <span class="clock">18.01.2024</span></header>
<main><div class="layout"><article><h1>Harbour berths</h1>{date_html}<div class="content">{body}</div></article>
<aside class="column">{side}</aside></div></main>
<footer class="site-footer">© 2024 Harbour News</footer></body></html>
"""


def main() -> None:
    STRESS.mkdir(exist_ok=True)
    for old in STRESS.glob("*.html"):
        old.unlink()
    rng = random.Random(7)
    truth: dict[str, dict[str, object]] = {}
    number = 0

    def add(name: str, html: str, published: dt.date | None) -> None:
        nonlocal number
        number += 1
        file = f"{number:02d}-{name}.html"
        (STRESS / file).write_text(html, encoding="utf-8")
        truth[file] = {
            "url": f"https://harbour.example/news/{number}",
            "published": published.isoformat() if published else None,
        }

    for lang, cue, form in BYLINES:
        day = dt.date(2016, 8, 1) + dt.timedelta(days=rng.randrange(0, 2500))
        day = day.replace(month=8)
        written = form.format(d=day.day, y=day.year)
        add(f"byline-{lang}", page(lang, f'<div class="byline">{cue} {written}</div>'), day)
    for index, lang in enumerate(("en", "de", "fr", "es")):
        day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 2500))
        iso = day.isoformat()
        placements = [
            # A date in a side column, far from the text and its title.
            page(lang, "", side=f'<div class="post-date">{iso}</div>' + "<p>Filler.</p>" * 30),
            page(lang, f'<div class="story" data-published="{iso}T08:00:00+01:00"></div>'),
            page(lang, f"<!-- published {iso} -->"),
            page(lang, "", extra_head=f'<meta name="dc.date.publication" content="{iso}">'),
        ]
        add(f"placement-{index}-{lang}", placements[index], day)
    for lang in ("sv", "cs", "el", "ar", "de", "en", "fr", "hi"):
        add(f"undated-{lang}", page(lang, ""), None)
    (HERE / "stress.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(truth)} pages written to {STRESS}")


if __name__ == "__main__":
    main()
