#!/usr/bin/env python3
"""Generate a deterministic bilingual (de, en) benchmark site for drehbuch and Hugo.

    python3 scripts/bench/gen_site.py --pages 1000 --out /tmp/bench-site [--seed 1] [--shape wide]

writes

    OUT/drehbuch/   site.yaml, content/, i18n/, templates/, static/
    OUT/hugo/       hugo.yaml, content/, i18n/, layouts/, static/

Both trees hold the same logical content: about PAGES pages in total, half in
German and half in English, spread over ten sections (`--shape wide`: a
hundred, so 10,000 pages make 100 sections of 100 pages, the shape of issue
20, with a main navigation of 100 entries on every page). Every page has about
600 words of pseudo-text in its language (German with umlauts and ß), h2/h3
headings, three internal links (one with an anchor), a table, a footnote, a
fenced code block (Rust or Python), a date and one to three tags out of a
fixed list of twenty. Only the link syntax differs: drehbuch writes
`[x](@/section/page.md)`, Hugo `[x]({{< relref "/section/page.md" >}})`.

The templates of both trees produce the same page structure (see
scripts/bench/README.md for what differs by design). Output is a pure
function of (pages, seed): the same arguments give byte-identical files.
Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

# Bump when the generated output changes, so that cached sites are rebuilt.
GENERATOR_VERSION = 1

LANGS = ("de", "en")
LANG_NAMES = {"de": "Deutsch", "en": "English"}
DEFAULT_LANG = "de"

SITE_TITLE = {"de": "Handbuch für klimafeste Quartiere", "en": "Handbook for climate-proof neighbourhoods"}
SITE_DESCRIPTION = {
    "de": "Ein erzeugtes Handbuch zum Messen der Baugeschwindigkeit.",
    "en": "A generated handbook for measuring build speed.",
}

# (folder, German title, English title)
SECTIONS = [
    ("basics", "Grundlagen", "Basics"),
    ("measuring", "Messen und Prüfen", "Measuring and testing"),
    ("planning", "Planung", "Planning"),
    ("participation", "Beteiligung", "Participation"),
    ("water", "Wasser und Böden", "Water and soil"),
    ("green", "Stadtgrün", "Urban green"),
    ("buildings", "Gebäude", "Buildings"),
    ("mobility", "Mobilität", "Mobility"),
    ("health", "Gesundheit", "Health"),
    ("data", "Daten und Karten", "Data and maps"),
]

# (code, German label, English label): the fixed tag list.
TAGS = [
    ("heat", "Hitze", "Heat"),
    ("rain", "Starkregen", "Heavy rain"),
    ("drought", "Dürre", "Drought"),
    ("trees", "Straßenbäume", "Street trees"),
    ("water", "Wasser", "Water"),
    ("energy", "Energie", "Energy"),
    ("mobility", "Mobilität", "Mobility"),
    ("health", "Gesundheit", "Health"),
    ("schools", "Schulen", "Schools"),
    ("housing", "Wohnen", "Housing"),
    ("data", "Daten", "Data"),
    ("sensors", "Sensoren", "Sensors"),
    ("parks", "Grünanlagen", "Parks"),
    ("roofs", "Gründächer", "Green roofs"),
    ("planning", "Planung", "Planning"),
    ("participation", "Beteiligung", "Participation"),
    ("budget", "Haushalt", "Budget"),
    ("maps", "Karten", "Maps"),
    ("soil", "Böden", "Soil"),
    ("air", "Luftqualität", "Air quality"),
]
TAG_CODES = [t[0] for t in TAGS]
TAG_LABEL = {"de": {c: d for c, d, _ in TAGS}, "en": {c: e for c, _, e in TAGS}}
TAGS_FIELD_LABEL = {"de": "Schlagwörter", "en": "Tags"}

WORDS = {
    "de": (
        "der die das und oder aber mit für über unter nach vor bei aus von zu im am "
        "ist sind wird werden wurde kann können muss müssen soll sollen darf gibt "
        "nicht auch noch schon sehr viel mehr weniger oft selten immer heute morgen "
        "Straße Größe Maßnahme Bürger Bürgerin Grünfläche Gebäude Bäume Wärme Hitze "
        "Quartier Stadt Stadtteil Nachbarschaft Fläche Flächen Schatten Sommer Winter "
        "Regen Starkregen Wasser Boden Böden Dach Dächer Fassade Hof Höfe Schule Schüler "
        "Verwaltung Planung Beteiligung Prüfung Messung Messungen Sensor Daten Karte "
        "Ergebnis Ergebnisse Bedarf Kosten Förderung Gemeinde Bezirk Gruppe Größe "
        "möglich nötig wichtig groß größer klein kleiner heiß heißer kühl kühler grün "
        "schließlich außerdem gemäß zunächst später gemeinsam öffentlich städtisch "
        "Fußweg Radweg Spielplatz Grünzug Baumscheibe Versickerung Verdunstung Kühlung "
        "Hitzewelle Tropennacht Luftfeuchte Messfühler Übersicht Überblick Änderung "
        "Lösung Lösungen Einschätzung Abschätzung Maß Grüße Fußgänger Straßenraum "
        "gießen prüfen messen planen bauen pflanzen schützen öffnen schließen "
        "außen innen drüben gegenüber natürlich ungefähr übrigens täglich jährlich "
        "Anwohner Anwohnerin Eigentümer Mieter Vermieterin Hausverwaltung Stadtwerke "
        "Ämter Behörde Fachbereich Zuständigkeit Abstimmung Rückmeldung Beschluss"
    ).split(),
    "en": (
        "the a an and or but with for over under after before at from of to in on "
        "is are will be was can could must should may gives not also still already "
        "very much more less often rarely always today tomorrow "
        "street size measure resident residents green space building trees heat warmth "
        "neighbourhood city district area areas shade summer winter "
        "rain downpour water soil soils roof roofs facade yard yards school pupils "
        "administration planning participation test measurement measurements sensor data map "
        "result results demand costs funding municipality borough group scale "
        "possible needed important large larger small smaller hot hotter cool cooler green "
        "finally moreover according first later together public municipal "
        "footpath cycle lane playground green corridor tree pit infiltration evaporation cooling "
        "heatwave tropical night humidity probe overview summary change "
        "solution solutions assessment estimate dimension greetings pedestrians streetscape "
        "water check measure plan build plant protect open close "
        "outside inside across opposite naturally roughly incidentally daily yearly "
        "tenant tenants owner landlord caretaker utility "
        "offices authority department responsibility agreement feedback decision"
    ).split(),
}

# Words for headings that always carry an umlaut or ß (German) so every page
# has headings with non-ASCII ids.
HEADING_UMLAUT_WORDS = "Größe Maßnahmen Übersicht Prüfung Bäume Flächen Dächer Gebäude Lösungen Straßenraum Wärme Zuständigkeit Rückmeldung Kühlung Fußwege".split()

DETAILS_HEADING = {"de": "Einzelheiten und Maße", "en": "Details and dimensions"}
TABLE_HEADER = {"de": ["Maßnahme", "Kosten (€)", "Dauer", "Wirkung"], "en": ["Measure", "Cost (€)", "Duration", "Effect"]}
DURATION = {"de": ["{} Tage", "{} Wochen", "{} Monate"], "en": ["{} days", "{} weeks", "{} months"]}
EFFECT = {"de": ["gering", "mittel", "hoch", "sehr hoch"], "en": ["low", "medium", "high", "very high"]}
FOOTNOTE = {"de": "Quelle: eigene Erhebung im Quartier, Stand {}.", "en": "Source: own survey in the neighbourhood, as of {}."}
SEE = {"de": "Siehe auch", "en": "See also"}

HOME_TEXT = {
    "de": "Willkommen im Handbuch. Es ist **erzeugt** und dient nur zum Messen, wie schnell ein Generator baut.",
    "en": "Welcome to the handbook. It is **generated** and only serves to measure how fast a generator builds.",
}
SECTION_TEXT = {
    "de": "Alle Seiten dieses Abschnitts, nach Gewicht geordnet.",
    "en": "All pages of this section, ordered by weight.",
}


def slugify(text: str) -> str:
    """drehbuch's slug rule (src/content/urls.rs) for the labels used here."""
    out: list[str] = []
    pending = False
    for c in text:
        mapped = {"ä": "ae", "Ä": "ae", "ö": "oe", "Ö": "oe", "ü": "ue", "Ü": "ue", "ß": "ss"}.get(c)
        if mapped is None and c.isascii() and (c.isalnum() or c == "_"):
            mapped = c.lower()
        if mapped is None:
            if c.isalnum():
                raise ValueError(f"slugify: no rule for {c!r} in {text!r}")
            pending = True
            continue
        if pending and out:
            out.append("-")
        pending = False
        out.append(mapped)
    return "".join(out)


def q(text: str) -> str:
    """A YAML scalar: JSON strings are valid YAML."""
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- logical content


class Page:
    def __init__(self, index: int, section: str, stem: str, weight: int):
        self.index = index
        self.section = section
        self.stem = stem
        self.weight = weight
        self.date = ""
        self.tags: list[str] = []
        self.links: list[tuple[str, str, str]] = []  # (section, stem, anchor or "")
        self.code_lang = "rust"
        self.table_rows = 4


def sections_of(shape: str) -> list[tuple[str, str, str]]:
    """The sections of a site shape: the ten of SECTIONS, or (`wide`) ten
    numbered variants of each, 100 in all."""
    if shape == "wide":
        return [(f"{f}-{k}", f"{de} {k}", f"{en} {k}") for f, de, en in SECTIONS for k in range(1, 11)]
    return SECTIONS


def plan(pages_total: int, seed: int, sections: list[tuple[str, str, str]]) -> list[Page]:
    per_lang = max(len(sections), pages_total // 2)
    pages: list[Page] = []
    for i in range(per_lang):
        s = i * len(sections) // per_lang
        section = sections[s][0]
        first_in_section = -(-s * per_lang // len(sections))  # ceil
        pages.append(Page(i, section, f"p{i:05d}", i - first_in_section + 1))
    for p in pages:
        r = random.Random(f"structure-{seed}-{p.index}")
        p.date = (date(2019, 1, 1) + timedelta(days=r.randrange(7 * 365))).isoformat()
        p.tags = sorted(r.sample(TAG_CODES, r.randint(1, 3)), key=TAG_CODES.index)
        others = [o for o in r.sample(pages, min(4, len(pages))) if o is not p][:3]
        p.links = [(o.section, o.stem, "details" if k == 2 else "") for k, o in enumerate(others)]
        p.code_lang = r.choice(["rust", "python"])
        p.table_rows = r.randint(3, 6)
    return pages


# ---------------------------------------------------------------- pseudo-text


class Text:
    def __init__(self, lang: str, rng: random.Random):
        self.lang = lang
        self.r = rng
        self.words = WORDS[lang]

    def word(self) -> str:
        return self.r.choice(self.words)

    def phrase(self, lo: int, hi: int) -> str:
        return " ".join(self.word() for _ in range(self.r.randint(lo, hi)))

    def title(self, lo: int = 3, hi: int = 6) -> str:
        words = [self.word() for _ in range(self.r.randint(lo, hi))]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    def heading(self, umlaut: bool) -> str:
        words = [self.word() for _ in range(self.r.randint(2, 4))]
        if umlaut:
            pool = HEADING_UMLAUT_WORDS if self.lang == "de" else ["sizes", "measures", "overview", "checks"]
            words.insert(self.r.randrange(len(words) + 1), self.r.choice(pool))
        s = " ".join(words)
        return s[:1].upper() + s[1:]

    def sentence(self) -> str:
        words = [self.word() for _ in range(self.r.randint(7, 15))]
        roll = self.r.random()
        if roll < 0.08:
            k = self.r.randrange(len(words))
            words[k] = f"**{words[k]}**"
        elif roll < 0.16:
            k = self.r.randrange(len(words))
            words[k] = f"*{words[k]}*"
        elif roll < 0.20:
            k = self.r.randrange(len(words))
            words[k] = f"`{words[k]}`"
        elif roll < 0.26:
            k = self.r.randrange(len(words) - 1)
            words[k] = f'"{words[k]}'
            words[k + 1] = f'{words[k + 1]}"'
        if self.r.random() < 0.3:
            words[self.r.randrange(1, len(words))] += ","
        s = " ".join(words)
        end = "." if self.r.random() < 0.9 else ("?" if self.r.random() < 0.5 else " ...")
        return s[:1].upper() + s[1:].rstrip(",") + end

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        n = 0
        while n < words:
            s = self.sentence()
            out.append(s)
            n += len(s.split())
        return " ".join(out)


def code_block(lang: str, code_lang: str, r: random.Random) -> str:
    de = lang == "de"
    ident = r.choice(["flaeche", "messwert", "schatten", "abfluss"] if de else ["area", "reading", "shade", "runoff"])
    comment = r.choice(
        ["Größe der Fläche in m² berechnen", "Maße prüfen, außer bei Regen", "Mittlere Wärme über alle Fühler"]
        if de
        else ["Compute the area in m²", "Check the dimensions, except in rain", "Mean warmth over all probes"]
    )
    label = "Ergebnis für Straße" if de else "Result for street"
    k = r.randint(2, 9)
    if code_lang == "rust":
        lines = [
            f"/// {comment}.",
            f"fn {ident}(values: &[f64]) -> f64 {{",
            "    let mut total = 0.0;",
            "    for (i, v) in values.iter().enumerate() {",
            f"        if i % {k} == 0 {{ continue; }}",
            "        total += v * 1.5;",
            "    }",
            f'    println!("{label} {{}}: {{total:.1}}", {k});',
            "    total / values.len().max(1) as f64",
            "}",
        ]
    else:
        lines = [
            f"# {comment}.",
            f"def {ident}(values: list[float]) -> float:",
            "    total = 0.0",
            "    for i, v in enumerate(values):",
            f"        if i % {k} == 0:",
            "            continue",
            "        total += v * 1.5",
            f'    print(f"{label} {k}: {{total:.1f}}")',
            "    return total / max(1, len(values))",
        ]
    return f"```{code_lang}\n" + "\n".join(lines) + "\n```"


def body(p: Page, lang: str, seed: int, link) -> tuple[str, str, str]:
    """(title, description, Markdown body) of page p in lang; link(section, stem, anchor) -> URL."""
    t = Text(lang, random.Random(f"text-{seed}-{p.index}-{lang}"))
    r = random.Random(f"layout-{seed}-{p.index}")  # same choices in both languages
    title = t.title()
    description = t.title(6, 10) + "."
    l1, l2, l3 = (p.links + [p.links[-1]] * 3)[:3] if p.links else [(p.section, p.stem, "")] * 3
    rows = []
    for _ in range(p.table_rows):
        cost = r.randint(100, 99000)
        cost_s = f"{cost:,}".replace(",", "." if lang == "de" else ",")
        dur = r.choice(DURATION[lang]).format(r.randint(2, 11))
        rows.append(f"| {t.title(1, 3)} | {cost_s} | {dur} | {r.choice(EFFECT[lang])} |")
    table = "\n".join(
        ["| " + " | ".join(TABLE_HEADER[lang]) + " |", "|---|--:|---|---|", *rows]
    )
    parts = [
        t.paragraph(60) + f" {SEE[lang]} [{t.phrase(2, 4)}]({link(*l1)}).[^1]",
        f"## {t.heading(True)}",
        t.paragraph(70),
        t.paragraph(50) + f" [{t.phrase(2, 3)}]({link(*l2)}) " + t.paragraph(15),
        f"### {t.heading(False)}",
        t.paragraph(70),
        table,
        f"## {DETAILS_HEADING[lang]} {{#details}}",
        t.paragraph(60),
        code_block(lang, p.code_lang, r),
        f"### {t.heading(True)}",
        t.paragraph(50) + f" [{t.phrase(2, 4)}]({link(*l3)}) " + t.paragraph(15),
        f"## {t.heading(r.random() < 0.5)}",
        t.paragraph(70),
        t.paragraph(60),
        f"[^1]: {FOOTNOTE[lang].format(p.date[:4])}",
    ]
    return title, description, "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- writers


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SITE_CSS = """body{font-family:system-ui,sans-serif;line-height:1.5;margin:0}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:1rem}
.language-switcher ul,.main-nav ul,.breadcrumbs ol,.tags,.facet-nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}
pre{overflow-x:auto;background:#f6f6f6;padding:.5rem}
"""
SYNTAX_CSS = """/* Token colours; drehbuch uses hl- prefixed classes, Hugo/Chroma short classes. */
.hl-comment,.c,.c1,.cm{color:#6a737d}.hl-string,.s,.s1,.s2{color:#032f62}
.hl-keyword,.k,.kd,.kn{color:#d73a49}.hl-entity,.nf{color:#6f42c1}
"""


def drehbuch_site(out: Path, pages: list[Page], seed: int, sections: list[tuple[str, str, str]]) -> None:
    root = out / "drehbuch"
    langs_yaml = "\n".join(f"  - {{code: {l}, name: {LANG_NAMES[l]}}}" for l in LANGS)
    write(
        root / "site.yaml",
        f"""# Generated by scripts/bench/gen_site.py; do not edit.
title: {{de: {q(SITE_TITLE['de'])}, en: {q(SITE_TITLE['en'])}}}
description: {{de: {q(SITE_DESCRIPTION['de'])}, en: {q(SITE_DESCRIPTION['en'])}}}
base_url: "https://example.org/"
default_language: {DEFAULT_LANG}
languages:
{langs_yaml}
# Hugo's RSS is off and it has no search: compare like with like.
# `run.py --search` measures drehbuch with its search index as well.
feeds: false
search: false
""",
    )
    write(root / "static" / "css" / "site.css", SITE_CSS)
    write(root / "static" / "css" / "syntax.css", SYNTAX_CSS)

    allowed = ", ".join(TAG_CODES)
    field_decl = f"fields:\n  - {{name: tags, type: list, facet: true, allowed: [{allowed}]}}\n"
    link = lambda section, stem, anchor: f"@/{section}/{stem}.md" + (f"#{anchor}" if anchor else "")
    for lang in LANGS:
        write(root / "content" / f"_index.{lang}.md", f"---\ntitle: {q(SITE_TITLE[lang])}\n---\n{HOME_TEXT[lang]}\n")
        for w, (folder, de_title, en_title) in enumerate(sections, 1):
            title = de_title if lang == "de" else en_title
            write(
                root / "content" / folder / f"_index.{lang}.md",
                f"---\ntitle: {q(title)}\ndescription: {q(title + ' – ' + SECTION_TEXT[lang])}\nweight: {w}\n{field_decl}---\n{SECTION_TEXT[lang]}\n",
            )
        for p in pages:
            title, description, text = body(p, lang, seed, link)
            write(
                root / "content" / p.section / f"{p.stem}.{lang}.md",
                f"---\ntitle: {q(title)}\ndescription: {q(description)}\ndate: {p.date}\nweight: {p.weight}\n"
                f"tags: [{', '.join(p.tags)}]\n---\n{text}",
            )
    for lang in LANGS:
        write(root / "i18n" / f"{lang}.yaml", drehbuch_i18n(lang))
    for name, text in DREHBUCH_TEMPLATES.items():
        write(root / "templates" / name, text)


def drehbuch_i18n(lang: str) -> str:
    de = lang == "de"
    tag_labels = "\n".join(f"      {c}: {q(TAG_LABEL[lang][c])}" for c in TAG_CODES)
    s = (lambda d, e: q(d if de else e))
    return f"""# Generated by scripts/bench/gen_site.py; do not edit.
strings:
  skip_to_content: {s('Zum Inhalt springen', 'Skip to content')}
  nav:
    main: {s('Hauptnavigation', 'Main navigation')}
    home: {s('Startseite', 'Home')}
    breadcrumbs: {s('Sie sind hier', 'You are here')}
    pager: {s('Vorherige und nächste Seite', 'Previous and next page')}
  language:
    switcher: {s('Sprache', 'Language')}
  home_sections: {s('Alle Abschnitte', 'All sections')}
  toc: {s('Inhalt', 'Contents')}
  published: {s('Veröffentlicht', 'Published')}
  reading_time: {{one: {s('{count} Minute Lesezeit', '{count} minute read')}, other: {s('{count} Minuten Lesezeit', '{count} minutes read')}}}
  previous: {s('Zurück', 'Previous')}
  next: {s('Weiter', 'Next')}
  table:
    label: {s('Tabelle', 'Table')}
  tag_count: {{one: {s('{count} Seite', '{count} page')}, other: {s('{count} Seiten', '{count} pages')}}}
  not_found:
    title: {s('Seite nicht gefunden', 'Page not found')}
    text: {s('Die gesuchte Seite gibt es nicht. Beginnen Sie auf einer Startseite neu:', 'The page you were looking for does not exist. Start again from a home page:')}
  field:
    tags:
      label: {q(TAGS_FIELD_LABEL[lang])}
{tag_labels}
"""


DREHBUCH_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% if page.kind == "home" %}{{ site.title }}{% else %}{{ page.title }} – {{ site.title }}{% endif %}{% endblock title %}</title>
{% if page.description %}<meta name="description" content="{{ page.description }}">
{% endif %}<link rel="canonical" href="{{ page.canonical }}">
{% for alt in page.alternates %}<link rel="alternate" hreflang="{{ alt.hreflang }}" href="{{ alt.href }}">
{% endfor %}<link rel="stylesheet" href="{{ asset(path='css/site.css') }}">
<link rel="stylesheet" href="{{ asset(path='css/syntax.css') }}">
</head>
<body>
<a class="skip-link" href="#main">{{ t(key="skip_to_content") }}</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="{{ site.home }}">{{ site.title }}</a>
    <nav class="language-switcher" aria-label="{{ t(key='language.switcher') }}">
      <ul>
      {% for l in page.switcher %}{% if l.current %}<li><span aria-current="true" lang="{{ l.code }}">{{ l.name }}</span></li>{% else %}<li><a href="{{ l.url }}" hreflang="{{ l.code }}" lang="{{ l.code }}">{{ l.name }}</a></li>{% endif %}
      {% endfor %}</ul>
    </nav>
  </div>
  <nav class="main-nav wrap" aria-label="{{ t(key='nav.main') }}">
    <ul>
    {% for item in site.nav %}<li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.title }}</a></li>
    {% endfor %}</ul>
  </nav>
</header>
<main id="main" class="wrap" data-pagefind-body>
{% if page.ancestors %}<nav class="breadcrumbs" aria-label="{{ t(key='nav.breadcrumbs') }}">
  <ol><li><a href="{{ site.home }}">{{ t(key="nav.home") }}</a></li>{% for a in page.ancestors %}<li><a href="{{ a.url }}">{{ a.title }}</a></li>{% endfor %}</ol>
</nav>
{% endif %}{% block content %}{% endblock content %}
</main>
<footer class="site-footer"><div class="wrap"><p>{{ site.title }}</p></div></footer>
</body>
</html>
""",
    "home.html": """{% extends "base.html" %}
{% block content %}
<article class="home">
  <h1>{{ page.title }}</h1>
  <div class="prose">{{ page.content | safe }}</div>
  <section aria-labelledby="home-sections">
    <h2 id="home-sections">{{ t(key="home_sections") }}</h2>
    <ul class="tiles">
    {% for s in site.nav %}<li><a href="{{ s.url }}">{{ s.title }}</a>{% if s.description %} <span>{{ s.description }}</span>{% endif %}</li>
    {% endfor %}</ul>
  </section>
</article>
{% endblock content %}
""",
    "partials/tagnav.html": """{% for f in page.facets %}<nav class="facet-nav" aria-label="{{ t(key='field.' ~ f.field ~ '.label') }}">
  <ul>
  {% for v in f.values %}<li>{% if v.current %}<span aria-current="page">{{ t(key="field." ~ f.field ~ "." ~ v.value) }} ({{ v.count }})</span>{% else %}<a href="{{ v.url }}">{{ t(key="field." ~ f.field ~ "." ~ v.value) }} ({{ v.count }})</a>{% endif %}</li>
  {% endfor %}</ul>
</nav>
{% endfor %}""",
    "partials/listing.html": """<ul class="listing">
{% for p in page.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a>{% if p.description %}<p>{{ p.description }}</p>{% endif %}</li>
{% endfor %}</ul>
""",
    "section.html": """{% extends "base.html" %}
{% block content %}
<article class="section">
  <h1>{{ page.title }}</h1>
  {% if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
  <div class="prose">{{ page.content | safe }}</div>
  {% include "partials/tagnav.html" %}
  {% include "partials/listing.html" %}
</article>
{% endblock content %}
""",
    "facet.html": """{% extends "base.html" %}
{% block title %}{{ t(key="field." ~ page.facet.field ~ "." ~ page.facet.value) }} – {{ page.title }} – {{ site.title }}{% endblock title %}
{% block content %}
<article class="section">
  <h1>{{ page.title }}: {{ t(key="field." ~ page.facet.field ~ "." ~ page.facet.value) }}</h1>
  <p class="lead">{{ t(key="tag_count", count=page.pages | length) }}</p>
  {% include "partials/tagnav.html" %}
  {% include "partials/listing.html" %}
</article>
{% endblock content %}
""",
    "page.html": """{% extends "base.html" %}
{% block content %}
<article class="page">
  <header class="page-header">
    <h1>{{ page.title }}</h1>
    {% if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
    <p class="meta">{% if page.date %}<span>{{ t(key="published") }} <time datetime="{{ page.date.iso }}">{{ page.date.display }}</time></span> {% endif %}<span>{{ t(key="reading_time", count=page.reading_time) }}</span></p>
    {% for f in page.facts %}{% if f.name == "tags" %}<ul class="tags" aria-label="{{ f.label }}">{% for v in f.values %}<li><a href="{{ v.url }}">{{ v.label }}</a></li>{% endfor %}</ul>{% endif %}{% endfor %}
  </header>
  {% if page.toc %}<nav class="toc" aria-labelledby="toc-title">
    <h2 id="toc-title">{{ t(key="toc") }}</h2>
    <ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>{% if h.children %}<ol>{% for c in h.children %}<li><a href="#{{ c.id }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>{% endfor %}</ol>
  </nav>{% endif %}
  <div class="prose">{{ page.content | safe }}</div>
</article>
{% if page.previous or page.next %}<nav class="pager" aria-label="{{ t(key='nav.pager') }}">
  {% if page.previous %}<a rel="prev" href="{{ page.previous.url }}">{{ t(key="previous") }}: {{ page.previous.title }}</a>{% endif %}
  {% if page.next %}<a rel="next" href="{{ page.next.url }}">{{ t(key="next") }}: {{ page.next.title }}</a>{% endif %}
</nav>{% endif %}
{% endblock content %}
""",
    "404.html": """{% extends "base.html" %}
{% block title %}{{ t(key="not_found.title") }} – {{ site.title }}{% endblock title %}
{% block content %}
<article class="not-found">
  <h1>{{ t(key="not_found.title") }}</h1>
  <p>{{ t(key="not_found.text") }}</p>
  <ul>{% for l in site.languages %}<li><a href="{{ l.home }}" hreflang="{{ l.code }}" lang="{{ l.code }}">{{ l.name }}</a></li>{% endfor %}</ul>
</article>
{% endblock content %}
""",
}


def hugo_site(out: Path, pages: list[Page], seed: int, sections: list[tuple[str, str, str]]) -> None:
    root = out / "hugo"
    langs = "\n".join(
        f"  {l}:\n    weight: {i}\n    title: {q(SITE_TITLE[l])}\n    params:\n      description: {q(SITE_DESCRIPTION[l])}"
        for i, l in enumerate(LANGS, 1)
    )
    write(
        root / "hugo.yaml",
        f"""# Generated by scripts/bench/gen_site.py; do not edit.
baseURL: "https://example.org/"
defaultContentLanguage: {DEFAULT_LANG}
defaultContentLanguageInSubdir: true
# drehbuch writes neither feeds nor an overview of all tags: disable both.
disableKinds: [RSS, taxonomy]
# Hugo 0.111 logs an ERROR for "taxonomy" here unless told that it is meant.
ignoreErrors: [error-disable-taxonomy]
taxonomies:
  tag: tags
languages:
{langs}
params:
  langnames: {{{', '.join(f'{l}: {LANG_NAMES[l]}' for l in LANGS)}}}
markup:
  highlight:
    noClasses: false
  tableOfContents:
    startLevel: 2
    endLevel: 3
    ordered: true
  goldmark:
    extensions:
      typographer: true
      table: true
      footnote: true
      strikethrough: true
      taskList: true
    parser:
      autoHeadingIDType: github
      attribute:
        title: true
""",
    )
    write(root / "static" / "css" / "site.css", SITE_CSS)
    write(root / "static" / "css" / "syntax.css", SYNTAX_CSS)
    link = lambda section, stem, anchor: '{{< relref "/' + f"{section}/{stem}.md" + (f"#{anchor}" if anchor else "") + '" >}}'
    for lang in LANGS:
        write(root / "content" / f"_index.{lang}.md", f"---\ntitle: {q(SITE_TITLE[lang])}\n---\n{HOME_TEXT[lang]}\n")
        for w, (folder, de_title, en_title) in enumerate(sections, 1):
            title = de_title if lang == "de" else en_title
            write(
                root / "content" / folder / f"_index.{lang}.md",
                f"---\ntitle: {q(title)}\ndescription: {q(title + ' – ' + SECTION_TEXT[lang])}\nweight: {w}\n---\n{SECTION_TEXT[lang]}\n",
            )
        for code in TAG_CODES:
            write(root / "content" / "tags" / code / f"_index.{lang}.md", f"---\ntitle: {q(TAG_LABEL[lang][code])}\n---\n")
        for p in pages:
            title, description, text = body(p, lang, seed, link)
            write(
                root / "content" / p.section / f"{p.stem}.{lang}.md",
                f"---\ntitle: {q(title)}\ndescription: {q(description)}\ndate: {p.date}\nweight: {p.weight}\n"
                f"tags: [{', '.join(p.tags)}]\ntranslationKey: {q(p.section + '/' + p.stem)}\n---\n{text}",
            )
        write(root / "i18n" / f"{lang}.yaml", hugo_i18n(lang))
    for name, text in HUGO_LAYOUTS.items():
        write(root / "layouts" / name, text.replace("@DEFAULT_LANG@", DEFAULT_LANG))


def hugo_i18n(lang: str) -> str:
    de = lang == "de"
    s = (lambda d, e: q(d if de else e))
    return f"""# Generated by scripts/bench/gen_site.py; do not edit.
skip_to_content: {s('Zum Inhalt springen', 'Skip to content')}
nav_main: {s('Hauptnavigation', 'Main navigation')}
nav_home: {s('Startseite', 'Home')}
nav_breadcrumbs: {s('Sie sind hier', 'You are here')}
nav_pager: {s('Vorherige und nächste Seite', 'Previous and next page')}
language_switcher: {s('Sprache', 'Language')}
home_sections: {s('Alle Abschnitte', 'All sections')}
toc: {s('Inhalt', 'Contents')}
published: {s('Veröffentlicht', 'Published')}
reading_time:
  one: {s('{{ .Count }} Minute Lesezeit', '{{ .Count }} minute read')}
  other: {s('{{ .Count }} Minuten Lesezeit', '{{ .Count }} minutes read')}
previous: {s('Zurück', 'Previous')}
next: {s('Weiter', 'Next')}
tags_label: {q(TAGS_FIELD_LABEL[lang])}
tag_count:
  one: {s('{{ .Count }} Seite', '{{ .Count }} page')}
  other: {s('{{ .Count }} Seiten', '{{ .Count }} pages')}
not_found_title: {s('Seite nicht gefunden', 'Page not found')}
not_found_text: {s('Die gesuchte Seite gibt es nicht. Beginnen Sie auf einer Startseite neu:', 'The page you were looking for does not exist. Start again from a home page:')}
"""


# Go templates; the `_default/` layout works in Hugo 0.111 and in the current
# template system (0.146+) alike.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} – {{ site.Title }}{{ end }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">
{{ end }}<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}{{ range .AllTranslations }}{{ if eq .Language.Lang "@DEFAULT_LANG@" }}<link rel="alternate" hreflang="x-default" href="{{ .Permalink }}">
{{ end }}{{ end }}<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
<link rel="stylesheet" href="{{ "css/syntax.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">{{ i18n "skip_to_content" }}</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
    <nav class="language-switcher" aria-label="{{ i18n "language_switcher" }}">
      <ul>
      {{ $lang := .Language.Lang }}{{ range .AllTranslations }}{{ if eq .Language.Lang $lang }}<li><span aria-current="true" lang="{{ .Language.Lang }}">{{ index site.Params.langnames .Language.Lang }}</span></li>{{ else }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ index site.Params.langnames .Language.Lang }}</a></li>{{ end }}
      {{ end }}</ul>
    </nav>
  </div>
  <nav class="main-nav wrap" aria-label="{{ i18n "nav_main" }}">
    <ul>
    {{ $cur := . }}{{ range site.Sections }}<li><a href="{{ .RelPermalink }}"{{ if or (eq $cur .) ($cur.IsDescendant .) }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
    {{ end }}</ul>
  </nav>
</header>
<main id="main" class="wrap">
{{ if eq .Kind "page" }}<nav class="breadcrumbs" aria-label="{{ i18n "nav_breadcrumbs" }}">
  <ol><li><a href="{{ site.Home.RelPermalink }}">{{ i18n "nav_home" }}</a></li>{{ with .Parent }}{{ if not .IsHome }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ol>
</nav>
{{ end }}{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p>{{ site.Title }}</p></div></footer>
</body>
</html>
""",
    "index.html": """{{ define "main" }}
<article class="home">
  <h1>{{ .Title }}</h1>
  <div class="prose">{{ .Content }}</div>
  <section aria-labelledby="home-sections">
    <h2 id="home-sections">{{ i18n "home_sections" }}</h2>
    <ul class="tiles">
    {{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }} <span>{{ . }}</span>{{ end }}</li>
    {{ end }}</ul>
  </section>
</article>
{{ end }}
""",
    "partials/tagnav.html": """{{ $cur := . }}<nav class="facet-nav" aria-label="{{ i18n "tags_label" }}">
  <ul>
  {{ range site.Taxonomies.tags }}<li>{{ if eq .Page $cur }}<span aria-current="page">{{ .Page.LinkTitle }} ({{ .Count }})</span>{{ else }}<a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }} ({{ .Count }})</a>{{ end }}</li>
  {{ end }}</ul>
</nav>
""",
    "partials/listing.html": """<ul class="listing">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>
""",
    "_default/list.html": """{{ define "main" }}
<article class="section">
  <h1>{{ .Title }}</h1>
  {{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
  <div class="prose">{{ .Content }}</div>
  {{ partial "tagnav.html" . }}
  {{ partial "listing.html" . }}
</article>
{{ end }}
""",
    "_default/term.html": """{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}
<article class="section">
  <h1>{{ i18n "tags_label" }}: {{ .Title }}</h1>
  <p class="lead">{{ i18n "tag_count" (len .Pages) }}</p>
  {{ partial "tagnav.html" . }}
  {{ partial "listing.html" . }}
</article>
{{ end }}
""",
    "_default/single.html": """{{ define "main" }}
<article class="page">
  <header class="page-header">
    <h1>{{ .Title }}</h1>
    {{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
    <p class="meta">{{ if not .Date.IsZero }}<span>{{ i18n "published" }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format ":date_long" }}</time></span> {{ end }}<span>{{ i18n "reading_time" .ReadingTime }}</span></p>
    {{ with .GetTerms "tags" }}<ul class="tags" aria-label="{{ i18n "tags_label" }}">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
  </header>
  {{ with .TableOfContents }}<nav class="toc" aria-labelledby="toc-title">
    <h2 id="toc-title">{{ i18n "toc" }}</h2>
    {{ . }}
  </nav>{{ end }}
  <div class="prose">{{ .Content }}</div>
</article>
{{ if or .PrevInSection .NextInSection }}<nav class="pager" aria-label="{{ i18n "nav_pager" }}">
  {{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ i18n "previous" }}: {{ .Title }}</a>{{ end }}
  {{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ i18n "next" }}: {{ .Title }}</a>{{ end }}
</nav>{{ end }}
{{ end }}
""",
    "404.html": """{{ define "title" }}{{ i18n "not_found_title" }} – {{ site.Title }}{{ end }}
{{ define "main" }}
<article class="not-found">
  <h1>{{ i18n "not_found_title" }}</h1>
  <p>{{ i18n "not_found_text" }}</p>
  <ul>{{ range site.Home.AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ index site.Params.langnames .Language.Lang }}</a></li>{{ end }}</ul>
</article>
{{ end }}
""",
}


def fingerprint(pages: int, seed: int, shape: str = "default") -> str:
    """Identifies the output: generator source, version and arguments."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(f"{GENERATOR_VERSION}-{pages}-{seed}".encode())
    if shape != "default":
        h.update(f"-{shape}".encode())
    return h.hexdigest()[:16]


def generate(pages_total: int, out: Path, seed: int = 1, shape: str = "default") -> dict:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    sections = sections_of(shape)
    pages = plan(pages_total, seed, sections)
    drehbuch_site(out, pages, seed, sections)
    hugo_site(out, pages, seed, sections)
    info = {
        "pages_requested": pages_total,
        "pages_per_language": len(pages),
        "languages": list(LANGS),
        "sections": len(sections),
        "tags": len(TAG_CODES),
        "seed": seed,
        "fingerprint": fingerprint(pages_total, seed, shape),
    }
    write(out / "site-info.json", json.dumps(info, indent=2) + "\n")
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, required=True, help="total pages over both languages (half each)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--shape", choices=["default", "wide"], default="default",
                    help="default: 10 sections; wide: 100 sections (default: default)")
    args = ap.parse_args()
    if args.pages < 2:
        ap.error("--pages must be at least 2")
    info = generate(args.pages, args.out, args.seed, args.shape)
    print(
        f"generated {info['pages_per_language']} pages per language ({', '.join(LANGS)}) "
        f"in {info['sections']} sections into {args.out}/drehbuch and {args.out}/hugo"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
