#!/usr/bin/env python3
"""bench/scale_corpus.py CORPUS OUT [--units N] [--seed S]: a large, realistic handover folder for bench/search.

Reads the real text of the shared corpus (Chinese and English manuals, man pages, mail bodies, customer-service
chats), splits it into paragraphs and headings, and writes Markdown files whose sections are shuffled
paragraphs under headings taken from the corpus (HTML headings, mail subjects, man page names). Baton indexes
one unit per Markdown heading, so the number of sections written is the number of units in the index: files are
written until at least N sections (default 110,000) exist. Deterministic for a given corpus and seed.
Standard library only. Also imported by bench/make_queries.py for the paragraph pool.
"""
import argparse
import email
import email.policy
import html.parser
import os
import random
import re
import sys

SKIP_DIRS = {"original"}  # raw dumps (one huge chat file) next to the split sessions
MIN_PARA, MAX_PARA = 40, 1800  # bytes of a kept paragraph
MAX_SECTION = 4000  # Baton splits sections above 6,000 bytes: stay below, one heading = one unit


def _read_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


class _HtmlText(html.parser.HTMLParser):
    BLOCK = {"p", "div", "li", "pre", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.headings, self._skip, self._heading = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _mail_text(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    subject = str(msg.get("subject", "") or "")
    body = msg.get_body(preferencelist=("plain",))
    text = ""
    if body is not None:
        try:
            text = body.get_content()
        except (LookupError, ValueError, AssertionError):
            text = ""
    # Drop quoted replies: they repeat other mails.
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith(">"))
    return subject, text


def _paragraphs(text):
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(l.split()) for l in block.splitlines()]
        lines = [l for l in lines if l]
        if not lines:
            continue
        para = "\n".join(lines)
        n = len(para.encode("utf-8"))
        if MIN_PARA <= n <= MAX_PARA and sum(c.isalnum() for c in para) > len(para) // 2:
            out.append(para)
    return out


def load_corpus(corpus):
    """(paragraphs, headings) from every readable file under `corpus`, in a fixed order."""
    paras, heads = [], []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(root, name)
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            try:
                if ext in ("html", "htm"):
                    p = _HtmlText()
                    p.feed(_read_text(path))
                    text = "".join(p.parts)
                    heads.extend(h for h in p.headings if 2 <= len(h) <= 60)
                elif ext == "eml":
                    subject, text = _mail_text(path)
                    subject = re.sub(r"^((re|fw|fwd|答复|回复|转发)\s*[:：]\s*)+", "", " ".join(subject.split()), flags=re.I)
                    if 2 <= len(subject) <= 60:
                        heads.append(subject)
                elif ext in ("txt", "md"):
                    text = _read_text(path)
                    m = re.search(r"^NAME\s*\n\s*(.+)$", text, re.M)  # man pages: "ab - Apache HTTP 服务器性能测试工具"
                    if m and len(m.group(1).strip()) <= 60:
                        heads.append(m.group(1).strip())
                else:
                    continue
            except Exception as e:  # a file the stdlib cannot read is skipped, as a user's tool would
                print(f"scale_corpus: skipped {path}: {e}", file=sys.stderr)
                continue
            paras.extend(_paragraphs(text))
    return paras, heads


FOLDERS = ["交接文档", "操作手册", "客户沟通", "records"]


def _md_safe(para):
    # Keep every heading ours and every heading seen: no line of a paragraph may start or underline a heading,
    # or open a block (code fence, HTML) that would swallow the headings after it.
    lines = []
    for l in para.splitlines():
        if re.fullmatch(r"[-=_*#\s]+", l):
            continue
        if l.startswith(("#", "```", "~~~", "<")):  # a heading, a code fence or an HTML block that never ends
            l = "\\" + l
        lines.append(l)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--units", type=int, default=110_000)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()

    paras, heads = load_corpus(args.corpus)
    paras = [_md_safe(p) for p in paras]
    paras = [p for p in paras if p]
    heads = [h.replace("#", "").strip() for h in heads]
    heads = sorted(set(h for h in heads if h))
    if len(paras) < 1000 or len(heads) < 100:
        sys.exit(f"scale_corpus: too little text in {args.corpus}: {len(paras)} paragraphs, {len(heads)} headings")
    rng = random.Random(args.seed)

    sections = files = size = 0
    while sections < args.units:
        folder = os.path.join(args.out, FOLDERS[files % len(FOLDERS)], f"part-{files // 400:03d}")
        os.makedirs(folder, exist_ok=True)
        n = rng.randint(20, 80)  # sections in this file, the title's included
        out = [f"# {rng.choice(heads)}\n\n{rng.choice(paras)}\n"]
        chapter = sub = 0
        for _ in range(n - 1):
            if chapter == 0 or rng.random() < 0.35:
                chapter, sub = chapter + 1, 0
                heading = f"## {chapter}. {rng.choice(heads)}"
            else:
                sub += 1
                heading = f"### {chapter}.{sub} {rng.choice(heads)}"
            body, body_size = [], 0
            for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
                p = rng.choice(paras)
                if body and body_size + len(p.encode("utf-8")) > MAX_SECTION:
                    break
                body.append(p)
                body_size += len(p.encode("utf-8"))
            out.append(f"{heading}\n\n" + "\n\n".join(body) + "\n")
        text = "\n".join(out)
        with open(os.path.join(folder, f"doc-{files:05d}.md"), "w", encoding="utf-8") as f:
            f.write(text)
        sections += n
        files += 1
        size += len(text.encode("utf-8"))
    print(f"{files} files, {sections} sections, {size / 1048576:.1f} MB "
          f"(from {len(paras)} paragraphs, {len(heads)} headings; seed {args.seed})")


if __name__ == "__main__":
    main()
