"""rapidfuzz's answers for the fuzzy differential test (tests/it/fuzzy_differential.rs).

Usage: rapidfuzz_measures.py INPUT. INPUT holds one JSON array [id, a, b] per
line (a and b never null). For each line the script prints the id and the
nine measures Tessera implements, tab-separated, in this order:

    jaro, jaro_winkler, damerau_levenshtein, hamming, levenshtein_ratio,
    ratio, token_sort_ratio, token_set_ratio, partial_ratio

with rapidfuzz's defaults (no processor, Hamming pads the shorter string).
Floats are printed with repr(), the shortest text that reads back as the
same double. The first line is "rapidfuzz VERSION". Exits 3 when rapidfuzz
is not installed.
"""
import json
import sys

try:
    import rapidfuzz
    from rapidfuzz import fuzz
    from rapidfuzz.distance import DamerauLevenshtein, Hamming, Jaro, JaroWinkler, Levenshtein
except ImportError as e:
    print(f"rapidfuzz is not installed: {e}", file=sys.stderr)
    sys.exit(3)

MEASURES = [
    Jaro.similarity,
    JaroWinkler.similarity,
    DamerauLevenshtein.distance,
    Hamming.distance,
    Levenshtein.normalized_similarity,
    fuzz.ratio,
    fuzz.token_sort_ratio,
    fuzz.token_set_ratio,
    fuzz.partial_ratio,
]

out = [f"rapidfuzz {rapidfuzz.__version__}"]
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        id_, a, b = json.loads(line)
        out.append("\t".join([str(id_)] + [repr(m(a, b)) for m in MEASURES]))
sys.stdout.buffer.write(("\n".join(out) + "\n").encode("utf-8"))
