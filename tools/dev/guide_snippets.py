#!/usr/bin/env python3
"""Keeps the guide's code honest: every C++ block in doc/guide/*.md is a region of a compiled file.

A block is introduced by a marker line naming its source, then the fenced block:

    <!-- snippet: doc/snippets/hello_world.cpp#handler -->
    ```cpp
    ...
    ```

`#handler` selects the lines between `// guide:begin handler` and `// guide:end handler` in the
file (without `#`, the whole file); marker lines of any region are left out and the region is
dedented. The check fails when a marker names a missing file or region, when a block differs from
its region, or when a C++ block has no marker (no snippet may live only in Markdown).
`--update` rewrites the blocks from their files instead of failing on a difference.
"""
import argparse
import pathlib
import re
import sys
import textwrap

MARKER = re.compile(r"^<!-- snippet: (?P<path>[^#\s]+)(?:#(?P<region>[\w-]+))? -->$")
REGION_LINE = re.compile(r"^\s*// guide:(begin|end) [\w-]+\s*$")
CPP_FENCE = re.compile(r"^```(cpp|c\+\+)\s*$")


def region_text(root, path, region):
    file = root / path
    if not file.is_file():
        raise LookupError(f"{path} does not exist")
    lines = file.read_text().splitlines()
    if region is None:
        selected = lines
    else:
        try:
            start = lines.index(next(l for l in lines if l.strip() == f"// guide:begin {region}"))
            end = lines.index(next(l for l in lines[start:] if l.strip() == f"// guide:end {region}"))
        except StopIteration:
            raise LookupError(f"{path} has no region '{region}' (// guide:begin/end {region})")
        selected = lines[start + 1:end]
    kept = [line for line in selected if not REGION_LINE.match(line)]
    return textwrap.dedent("\n".join(kept)).strip("\n")


def check_page(root, page, update):
    """Returns the problems found in one page (rewriting it when `update`)."""
    problems = []
    lines = page.read_text().splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = MARKER.match(line)
        where = f"{page.relative_to(root)}:{i + 1}"
        if CPP_FENCE.match(line):
            problems.append(f"{where}: C++ block without a '<!-- snippet: FILE#REGION -->' line")
        if not marker:
            out.append(line)
            i += 1
            continue
        out.append(line)
        if i + 1 >= len(lines) or not CPP_FENCE.match(lines[i + 1]):
            problems.append(f"{where}: snippet marker not followed by a ```cpp block")
            i += 1
            continue
        close = next((j for j in range(i + 2, len(lines)) if lines[j].startswith("```")), None)
        if close is None:
            problems.append(f"{where}: unterminated code block")
            out.extend(lines[i + 1:])
            break
        block = "\n".join(lines[i + 2:close])
        try:
            expected = region_text(root, marker["path"], marker["region"])
        except LookupError as error:
            problems.append(f"{where}: {error}")
            expected = block
        if block != expected:
            if update:
                print(f"updated {where}")
            else:
                problems.append(f"{where}: block differs from {marker['path']}"
                                f"{'#' + marker['region'] if marker['region'] else ''}"
                                " (tools/dev/guide_snippets.py --update rewrites it)")
        out.append(lines[i + 1])
        out.extend(expected.splitlines() if update else lines[i + 2:close])
        out.append(lines[close])
        i = close + 1
    if update:
        page.write_text("\n".join(out) + "\n")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parents[2], type=pathlib.Path)
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    pages = sorted((args.root / "doc" / "guide").glob("*.md"))
    if not pages:
        print("no pages under doc/guide", file=sys.stderr)
        return 1
    problems = [p for page in pages for p in check_page(args.root, page, args.update)]
    for problem in problems:
        print(problem, file=sys.stderr)
    snippets = sum(1 for page in pages for l in page.read_text().splitlines() if MARKER.match(l))
    print(f"{len(pages)} pages, {snippets} snippets, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
