#!/usr/bin/env python3
"""Builds the embedded lexicons from the shared lexicon files (see SOURCES.md).

Usage: python3 build_lexicons.py PATH/TO/shared/data/lexicons
Writes given_names.txt, surnames.txt, titles.txt, street_types.txt, unit_designators.txt, cities.txt here.
"""
import csv
import re
import sys
from pathlib import Path

src = Path(sys.argv[1])
out = Path(__file__).parent
word = re.compile(r"^[^\W\d_][^\W\d_'\-]*(?:['\-][^\W\d_]+)*$")


def ok(w):
    return len(w) > 1 and word.match(w) is not None


def write(name, items):
    (out / name).write_text("\n".join(sorted(items)) + "\n", encoding="utf-8")


given, sur = set(), set()
# US SSA given names: only names given at least 100 times (1880-2023) to keep out one-off spellings.
for r in csv.DictReader(open(src / "given_names_us_ssa.csv", encoding="utf-8")):
    if int(r["count"]) >= 100 and ok(r["name"]):
        given.add(r["name"])
given |= {w.strip() for w in open(src / "given_names_intl.txt", encoding="utf-8") if ok(w.strip())}
# US Census 2000 surnames held by at least 200 people.
for r in csv.DictReader(open(src / "surnames_us_census2000.csv", encoding="utf-8")):
    if int(r["count"]) >= 200 and ok(r["name"]):
        sur.add(r["name"])
sur |= {w.strip() for w in open(src / "surnames_intl.txt", encoding="utf-8") if ok(w.strip())}
for r in csv.DictReader(open(src / "names_by_country.csv", encoding="utf-8")):
    if ok(r["name"]):
        (given if r["kind"] == "given" else sur).add(r["name"])
write("given_names.txt", given)
write("surnames.txt", sur)

langs = {"en", "fr", "de", "es", "it", "nl", "pt"}
titles = {r["term"] for r in csv.DictReader(open(src / "person_affixes_intl.csv", encoding="utf-8"))
          if r["kind"] == "title" and r["lang"] in langs and ok(r["term"].rstrip("."))}
write("titles.txt", titles)

streets = set()
for r in csv.DictReader(open(src / "street_suffixes_usps.csv", encoding="utf-8")):
    streets |= {t for t in (r["variant"], r["standard"]) if ok(t)}
for r in csv.DictReader(open(src / "address_terms_intl.csv", encoding="utf-8")):
    if r["kind"] == "street_type" and r["lang"] in langs and ok(r["term"]) and len(r["term"]) > 2:
        streets.add(r["term"])
write("street_types.txt", streets)

units = set()
for r in csv.DictReader(open(src / "unit_designators_usps.csv", encoding="utf-8")):
    units |= {t for t in (r["name"], r["abbreviation"]) if ok(t)}
write("unit_designators.txt", units)

cities = {r["name"].strip().lower() for r in csv.DictReader(open(src / "cities_world.csv", encoding="utf-8"))
          if ok(r["name"].strip().lower())}
write("cities.txt", cities)
