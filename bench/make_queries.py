#!/usr/bin/python3
"""bench/make_queries.py CORPUS [--seed S] > bench/queries.txt: the query set of bench/search.

Draws queries from the vocabulary of the shared corpus (the scaled corpus is made of the same paragraphs, so one
set serves both indexes): English words by regex, Chinese words by jieba (Debian: python3-jieba). Common terms
are among the 400 with the highest paragraph frequency, rare ones occur in 2 to 8 paragraphs. Multi-word queries
take their words from one paragraph, as a user who remembers a passage would. One query a line, with a tag:

    en-common  en-rare  en-2  en-3  zh-common  zh-rare  zh-2  zh-2s  zh-3  mixed

zh-2 joins two words (退款流程), zh-2s separates them with a space. Deterministic for a corpus and seed.
The committed bench/queries.txt is its output for ../shared/corpus; bench/search reads that file.
"""
import argparse
import collections
import os
import random
import re
import sys

import jieba

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale_corpus import load_corpus  # noqa: E402

EN_STOP = set("""a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he
her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or
other our out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
yes get got use used using may might must shall also one two three new see set near adj xor
com www http https org net html htm mailto cc bcc subject sent original message enron ect hou""".split())
HAN = re.compile(r"^[\u4e00-\u9fff]+$")
EN_WORD = re.compile(r"[A-Za-z][a-z]{2,}")  # no ALL-CAPS (AND/OR/NOT are operators), no digits


def en_words(para):
    return [w.lower() for w in EN_WORD.findall(para) if w.lower() not in EN_STOP and len(w) <= 14]


def zh_words(para):
    return [w for w in jieba.lcut(para) if 2 <= len(w) <= 4 and HAN.match(w)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    jieba.setLogLevel(60)
    rng = random.Random(args.seed)

    paras, _ = load_corpus(args.corpus)
    en_df, zh_df = collections.Counter(), collections.Counter()
    en_of, zh_of = [], []
    for p in paras:
        e, z = sorted(set(en_words(p))), sorted(set(zh_words(p)))
        en_df.update(e)
        zh_df.update(z)
        en_of.append(e)
        zh_of.append(z)

    def common(df):
        return sorted(w for w, _ in df.most_common(400))

    def rare(df):
        return sorted(w for w, n in df.items() if 2 <= n <= 8)

    en_common, en_rare = common(en_df), [w for w in rare(en_df) if len(w) >= 5]
    zh_common, zh_rare = common(zh_df), rare(zh_df)
    en_paras = [i for i, e in enumerate(en_of) if len(e) >= 6]
    zh_paras = [i for i, z in enumerate(zh_of) if len(z) >= 6]
    mixed_paras = [i for i, (e, z) in enumerate(zip(en_of, zh_of)) if len(e) >= 2 and len(z) >= 3]

    def from_para(pool, words_of, k, max_chars=None, tries=1000):
        for _ in range(tries):
            ws = rng.sample(words_of[rng.choice(pool)], k)
            if max_chars is None or sum(map(len, ws)) <= max_chars:
                return ws
        raise RuntimeError("no paragraph fits")

    out, seen = [], set()

    def add(tag, n, make):
        got = 0
        while got < n:
            q = make()
            if q not in seen:
                seen.add(q)
                out.append((tag, q))
                got += 1

    add("en-common", 30, lambda: rng.choice(en_common))
    add("en-rare", 25, lambda: rng.choice(en_rare))
    add("en-2", 30, lambda: " ".join(from_para(en_paras, en_of, 2)))
    add("en-3", 20, lambda: " ".join(from_para(en_paras, en_of, 3)))
    add("zh-common", 30, lambda: rng.choice(zh_common))
    add("zh-rare", 25, lambda: rng.choice(zh_rare))
    add("zh-2", 25, lambda: "".join(from_para(zh_paras, zh_of, 2, 8)))
    add("zh-2s", 15, lambda: " ".join(from_para(zh_paras, zh_of, 2, 8)))
    add("zh-3", 15, lambda: "".join(from_para(zh_paras, zh_of, 3, 8)))

    def mixed():
        i = rng.choice(mixed_paras)
        return f"{rng.choice(en_of[i])} {rng.choice(zh_of[i])}"

    add("mixed", 25, mixed)
    rng.shuffle(out)
    print(f"# bench/make_queries.py {os.path.basename(os.path.normpath(args.corpus))} --seed {args.seed}: "
          f"{len(out)} queries from {len(paras)} paragraphs. tag<TAB>query")
    for tag, q in out:
        print(f"{tag}\t{q}")


if __name__ == "__main__":
    main()
