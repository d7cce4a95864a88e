"""Writes rapidfuzz_cases.tsv: expected values of Tessera's rapidfuzz measures.

    python3 -m venv /tmp/rfvenv && /tmp/rfvenv/bin/pip install rapidfuzz==3.14.6
    /tmp/rfvenv/bin/python udfs/data/rapidfuzz_cases.py > udfs/data/rapidfuzz_cases.tsv

Columns: a, b, then Jaro.similarity, JaroWinkler.similarity,
DamerauLevenshtein.distance, Hamming.distance (pad=True),
Levenshtein.normalized_similarity, fuzz.ratio, fuzz.token_sort_ratio,
fuzz.token_set_ratio, fuzz.partial_ratio (floats as Python's repr).
Tabs and newlines in a and b are written as \\t and \\n.
"""
import random

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, Hamming, Jaro, JaroWinkler, Levenshtein

NAMED = [
    ("kitten", "sitting"), ("", ""), ("", "abc"), ("abc", ""), ("Zoé", "Zoe"),
    ("Élodie", "Elodie"), ("Straße", "Strasse"), ("Œuvre", "oeuvre"), ("martha", "marhta"),
    ("dixon", "dicksonx"), ("new york mets", "new york mets vs atlanta braves"),
    ("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear"), ("ca", "abc"),
    ("this is a test", "this is a test!"), ("Jean-Pierre Dupont", "dupont jean pierre"),
    ("  a  b ", "b a"), ("a\tb", "b\na"), ("ÉLODIE", "élodie"), ("abc", "abcd"),
    ("karolin", "kathrin"), ("aaaa", "aa"), ("the the cat", "cat the"),
    ("x" * 70 + "abc", "y" * 30 + "x" * 68 + "ab" + "z" * 40),
]


def esc(s):
    return s.replace("\t", "\\t").replace("\n", "\\n")


def row(a, b):
    vals = [
        Jaro.similarity(a, b), JaroWinkler.similarity(a, b), DamerauLevenshtein.distance(a, b),
        Hamming.distance(a, b), Levenshtein.normalized_similarity(a, b), fuzz.ratio(a, b),
        fuzz.token_sort_ratio(a, b), fuzz.token_set_ratio(a, b), fuzz.partial_ratio(a, b),
    ]
    return "\t".join([esc(a), esc(b)] + [repr(float(v)) for v in vals])


def main():
    random.seed(20240601)
    pairs = list(NAMED)
    alphabet = "abcdeéßŒ  \u00a0"
    for _ in range(400):
        a = "".join(random.choice(alphabet) for _ in range(random.randint(0, 14)))
        b = "".join(random.choice(alphabet) for _ in range(random.randint(0, 22)))
        pairs.append((a, b))
    print("a\tb\tjaro\tjaro_winkler\tdamerau\thamming\tlevenshtein_ratio\tratio\ttoken_sort\ttoken_set\tpartial")
    for a, b in pairs:
        print(row(a, b))


main()
