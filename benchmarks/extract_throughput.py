"""Extraction throughput, as a ratio to spaCy blank-English tokenisation of the same text.

The sample reports in examples/ are repeated until the corpus is at least --mb megabytes;
both the tokeniser and the full extractor run over every document, one core, warm
(lexicons and gazetteer loaded before timing). Prints a JSON line and writes it to
benchmarks/out/extract_throughput.json.

    .venv/bin/python benchmarks/extract_throughput.py [--mb 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import spacy

from sitrep.extract import extract_document
from sitrep.ingest import iter_sources, read_document
from sitrep.ingest.manifest import manifest_for

ROOT = Path(__file__).resolve().parents[1]


def corpus(megabytes: float):
    docs = []
    for path in iter_sources([str(ROOT / "examples")]):
        if path.suffix in (".txt", ".html", ".htm"):
            meta = manifest_for(path)
            docs.append(read_document(path, published=meta.get("published"), name=str(path)))
    out, size = [], 0
    while size < megabytes * 1_000_000:
        for d in docs:
            out.append(d)
            size += len(d.text.encode("utf-8"))
    return out, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    args = parser.parse_args()
    docs, size = corpus(args.mb)
    nlp = spacy.blank("en")
    extract_document(docs[0])  # warm: lexicons, gazetteer, compiled patterns
    nlp(docs[0].text)

    t0 = time.perf_counter()
    tokens = sum(len(nlp(d.text)) for d in docs)
    tokenise_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    incidents = claims = 0
    for d in docs:
        ex = extract_document(d)
        incidents += len(ex.incidents)
        claims += len(ex.claims)
    extract_s = time.perf_counter() - t0

    result = {
        "documents": len(docs),
        "megabytes": round(size / 1e6, 2),
        "tokens": tokens,
        "tokenise_s": round(tokenise_s, 2),
        "extract_s": round(extract_s, 2),
        "tokenise_docs_per_s": round(len(docs) / tokenise_s, 1),
        "extract_docs_per_s": round(len(docs) / extract_s, 1),
        "extract_mb_per_s": round(size / 1e6 / extract_s, 2),
        "ratio_to_tokenisation": round(extract_s / tokenise_s, 2),
        "incidents": incidents,
        "claims": claims,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "extract_throughput.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
