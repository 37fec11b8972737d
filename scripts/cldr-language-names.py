#!/usr/bin/env python3
"""Writes src/i18n/language_names.tsv: every language's CLDR display name in
each language drehbuch has built-in UI strings for, and its writing
direction (from the script CLDR's likely subtags give it).

Input: the npm packages cldr-localenames-full and cldr-core (same CLDR
version), unpacked, e.g.

    npm pack cldr-localenames-full@48.2.0 cldr-core@48.2.0
    mkdir names core
    tar xzf cldr-localenames-full-48.2.0.tgz -C names
    tar xzf cldr-core-48.2.0.tgz -C core
    python3 scripts/cldr-language-names.py names/package core/package > src/i18n/language_names.tsv

The data is © Unicode, Inc., under the Unicode License v3 (the header of
the written file repeats this).
"""
import json
import os
import sys

# The languages of themes/default/i18n/*.yaml: one column each.
UI_LANGUAGES = ["de", "en", "ro", "tr", "ar", "pl", "bg", "uk", "hu", "fr", "es", "it", "nl"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(names_dir, core_dir):
    version = load(os.path.join(core_dir, "package.json"))["version"]
    names = {}
    for ui in UI_LANGUAGES:
        data = load(os.path.join(names_dir, "main", ui, "languages.json"))
        names[ui] = data["main"][ui]["localeDisplayNames"]["languages"]
    likely = load(os.path.join(core_dir, "supplemental", "likelySubtags.json"))[
        "supplemental"
    ]["likelySubtags"]
    scripts = load(os.path.join(core_dir, "scriptMetadata.json"))["scriptMetadata"]
    rtl = sorted(k for k, v in scripts.items() if v.get("rtl") == "YES")

    def direction(code):
        parts = code.split("-")
        script = next((p for p in parts[1:] if len(p) == 4), None)
        if script is None:
            full = likely.get(code) or likely.get(parts[0]) or ""
            script = next((p for p in full.split("-")[1:] if len(p) == 4), "")
        return "rtl" if script in rtl else "ltr"

    codes = sorted(c for c in names["en"] if "-alt-" not in c)
    out = sys.stdout
    out.write(
        f"# Language display names and writing directions from CLDR {version}\n"
        f"# (npm: cldr-localenames-full {version}, cldr-core {version}), written by\n"
        "# scripts/cldr-language-names.py. Data © Unicode, Inc., Unicode License v3:\n"
        "# https://www.unicode.org/license.txt\n"
    )
    out.write("rtl-scripts\t" + " ".join(rtl) + "\n")
    out.write("code\tdir\t" + "\t".join(UI_LANGUAGES) + "\n")
    for code in codes:
        row = [code, direction(code)] + [names[ui].get(code, "") for ui in UI_LANGUAGES]
        out.write("\t".join(v.replace("\t", " ") for v in row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
