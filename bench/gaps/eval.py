#!/usr/bin/env python3
"""bench/gaps/eval.py REPORT.json EXPECTED.json: scores `baton gaps --format json` against a careful reader.

Prints, for the goal of issue 5: recall and precision of the undocumented entities (an entity matches
when one of its names or aliases equals, contains or is contained in one of the report entity's names,
after folding case and spaces), every marker and every secret found (file and line), and how many of
the checklist areas the report judges as the reader did. Standard library only.
"""
import json
import sys
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return "".join(c for c in s if c.isalnum())


def names_of_expected(e):
    return {fold(n) for n in [e["name"], *e.get("aliases", [])] if len(fold(n)) >= 2}


def names_of_reported(e):
    return {fold(n) for n in [e["name"], e["key"], *e.get("aliases", [])] if len(fold(n)) >= 2}


def same(a_names, b_names):
    return any(a == b or (len(a) >= 2 and a in b) or (len(b) >= 2 and b in a) for a in a_names for b in b_names)


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    expected = json.load(open(sys.argv[2], encoding="utf-8"))
    by_name = {e["name"]: e for e in expected["entities"]}
    want = [by_name[n] for n in expected["undocumented_entities"] if n in by_name]
    optional = [by_name[n] for n in expected.get("undocumented_entities_optional", []) if n in by_name]
    reported = [e for e in report["entities"] if e["write_up"] == "missing" and e["conversations"] > 0]

    found = [w for w in want if any(same(names_of_expected(w), names_of_reported(r)) for r in reported)]
    missed = [w["name"] for w in want if w not in found]
    wrong = [r["name"] for r in reported
             if not any(same(names_of_expected(w), names_of_reported(r)) for w in want + optional)]
    right = len(reported) - len(wrong)
    recall = len(found) / len(want) if want else 1.0
    precision = right / len(reported) if reported else 1.0
    print(f"undocumented entities: recall {recall:.2f} ({len(found)}/{len(want)}), "
          f"precision {precision:.2f} ({right}/{len(reported)})")
    if missed:
        print("  missed:", ", ".join(missed))
    if wrong:
        print("  not expected:", ", ".join(wrong))

    def lines(items, key="file"):
        return {(i[key], i["line"]) for i in items}

    for what, exp_key, rep_key in (("markers", "markers", ("hygiene", "markers")), ("secrets", "secrets", ("secrets",))):
        rep = report
        for k in rep_key:
            rep = rep[k]
        got = {(r["path"], r["line"]) for r in rep}
        exp = lines(expected[exp_key])
        hit = exp & got
        print(f"{what}: {len(hit)}/{len(exp)} found, {len(got - exp)} reported that the reader did not list")
        for f, l in sorted(exp - got):
            print(f"  missed {f}:{l}")
        for f, l in sorted(got - exp):
            print(f"  extra {f}:{l}")
    not_secrets = lines(expected.get("not_secrets", []))
    flagged = not_secrets & {(r["path"], r["line"]) for r in report["secrets"]}
    print(f"near-miss secrets flagged: {len(flagged)}/{len(not_secrets)}")

    states = {a["id"]: a["state"] for a in report["areas"]}
    agree = [a for a, s in expected["areas"].items() if states.get(a) == s]
    print(f"areas: {len(agree)}/{len(expected['areas'])} agree with the reader")
    for a, s in expected["areas"].items():
        if states.get(a) != s:
            print(f"  {a}: reader {s}, report {states.get(a)}")
    stale_exp = {s["file"] for s in expected.get("stale", [])}
    stale_got = {s["path"] for s in report["hygiene"]["stale"]}
    print(f"stale: {len(stale_exp & stale_got)}/{len(stale_exp)} found, {len(stale_got - stale_exp)} extra")
    refs_exp = lines(expected.get("broken_references", []))
    refs_got = {(r["path"], r["line"]) for r in report["hygiene"]["broken_references"]}
    print(f"broken references: {len(refs_exp & refs_got)}/{len(refs_exp)} found, {len(refs_got - refs_exp)} extra")
    facts = expected.get("conversation_only_facts", [])
    fact_files = {f["file"] for f in facts}
    got_files = {f["source"]["path"] for f in report["conversation_only"]}
    print(f"conversation-only facts: {len(fact_files & got_files)}/{len(fact_files)} files with a fact pointed at, "
          f"{len(report['conversation_only'])} facts reported")


if __name__ == "__main__":
    main()
