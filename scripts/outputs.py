#!/usr/bin/env python3
"""Runs a binary over a fixed corpus of command lines and writes each one's
standard output, standard error and exit code to OUTDIR, for `diff -r` or
`cmp` between two builds (a refactoring must leave them byte-identical).

    scripts/outputs.py target/release/cif-advisor /tmp/before
    # ... change the code, rebuild ...
    scripts/outputs.py target/release/cif-advisor /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

The corpus: every scenario of tests/scenarios in every recommend format,
-q, -v and --strict; compare, apps, api, migrate, troubleshoot, check,
matrix, completions, man and help; the batch fixture in both details;
--save; widths and colour; and a set of bad inputs (error lines).
Needs PyYAML (`pip install pyyaml`).
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus(tmp):
    runs = []

    def add(args, env=None, stdin=None):
        runs.append((list(args), env or {}, stdin))

    # Scenarios, every format.
    sc_dir = os.path.join(ROOT, "tests", "scenarios")
    for name in sorted(os.listdir(sc_dir)):
        with open(os.path.join(sc_dir, name), encoding="utf-8") as f:
            sc = yaml.safe_load(f)
        args = list(sc.get("args") or [])
        if sc.get("requirements") is not None:
            path = os.path.join(tmp, name + ".req.yaml")
            with open(path, "w", encoding="utf-8") as f:
                yaml.safe_dump(sc["requirements"], f)
            args += ["--requirements", path]
        base = ["recommend"] + args
        for extra in (
            [],
            ["--format", "json"],
            ["--format", "yaml"],
            ["--format", "markdown"],
            ["-q"],
            ["-v"],
            ["--strict"],
        ):
            add(base + extra)
        add(base + ["-v"], env={"COLUMNS": "60"})
        add(base + ["--color", "always"])
    # Compare and apps.
    for fmt in ("table", "markdown", "json", "yaml"):
        add(["compare", "--format", fmt])
    for fmt in ("table", "json"):
        add(["apps", "--format", fmt])
    add(["compare"], env={"COLUMNS": "80"})
    add(["compare", "--color", "always"])
    add(["apps", "--color", "always"])
    # api
    for fmt in ("table", "json", "markdown"):
        for extra in ([], ["--diff"], ["--version", "1.0"], ["--version", "2.0"]):
            add(["api", "--format", fmt] + extra)
    add(["api", "--version", "3.0"])
    add(["api", "--color", "always"])
    # migrate
    for fmt in ("text", "json", "markdown"):
        for extra in (
            [],
            ["--providers", "2", "--analytics"],
            ["--template", "session"],
            ["--app", "sales", "--app", "cs-workspace"],
            ["--host", "usd"],
            ["--dialer", "teams-dialer"],
        ):
            add(["migrate", "--format", fmt] + extra)
    add(["migrate", "--color", "always", "--providers", "2"])
    # troubleshoot (scores change with the stemmer; kept for the record)
    for query in (
        ["Microsoft is not defined"],
        ["setWidth", "does", "nothing"],
        ["C5"],
        ["panel", "is", "blank"],
        ["softphone", "does", "not", "load"],
        ["zzzz"],
    ):
        for fmt in ("text", "json"):
            add(["troubleshoot", "--format", fmt] + query)
    add(["troubleshoot", "--list"])
    add(["troubleshoot", "--list", "--version", "2.0", "--format", "json"])
    # check
    fx = os.path.join(ROOT, "tests", "fixtures", "check")
    for name in sorted(os.listdir(fx)):
        for fmt in ("text", "json", "markdown"):
            add(["check", "--format", fmt, os.path.join(fx, name)])
        add(["check", "--strict", os.path.join(fx, name)])
    add(["check", "--queries", "https://contoso.crm.dynamics.com"])
    add(["check", "--expect", "outbound", os.path.join(fx, "v2-clean")])
    # matrix
    add(["matrix", "export"])
    add(["matrix", "validate"])
    add(["matrix", "validate", os.path.join(ROOT, "data", "cif-matrix.yaml")])
    add(["matrix", "sources"])
    add(["matrix", "sources", "--format", "json"])
    # completions, man, help
    for shell in ("bash", "zsh", "fish", "powershell", "elvish"):
        add(["completions", shell])
    for page in ([], ["recommend"], ["matrix", "validate"], ["check"], ["nope"]):
        add(["man"] + page)
    add(["--help"])
    add(["--version"])
    for sub in (
        "recommend", "compare", "apps", "api", "migrate", "troubleshoot",
        "check", "matrix", "completions", "man",
    ):
        add([sub, "--help"])
        add([sub, "-h"])
    add(["matrix", "validate", "--help"])
    # batch
    batch = os.path.join(ROOT, "tests", "fixtures", "batch-varied.jsonl")
    add(["recommend", "--batch", batch])
    add(["recommend", "--batch", batch, "--detail", "full"])
    add(["recommend", "--batch", "-"], stdin=b'{"apps":["sales"]}\nnot json\n{}\n')
    # save
    save = os.path.join(tmp, "saved.yaml")
    add(["recommend", "--app", "sales", "--skip", "providers", "--save", save])
    add(["recommend", "--requirements", save])
    # bad inputs
    for bad in (
        ["recommend", "--app", "salse"],
        ["recommend", "--providers", "0"],
        ["recommend", "--session", ""],
        ["recommend", "--skip", "cloudd", "--app", "sales"],
        ["recommend", "--requirements", "/nonexistent.yaml"],
        ["recommend", "--requirements", ROOT],
        ["recommend", "--matrix", "/nonexistent.yaml", "--app", "sales"],
        ["recommend"],
        ["recommend", "--app", "sales", "--batch", batch],
        ["recommend", "--app", "sales", "--save", "-"],
        ["recommend", "--app", "sales", "-i"],
        ["api", "--version", "9"],
        ["troubleshoot", "--version", "9", "x"],
        ["check", "/nonexistent.json"],
        ["matrix", "validate", "/nonexistent.yaml"],
        ["nope"],
        [],
    ):
        add(bad)
    # Every table and wrapped text at two terminal widths, and in colour
    # (last, so that the runs above keep their keys).
    for cols in ("60", "80"):
        for args in (
            ["apps"],
            ["api"],
            ["migrate", "--providers", "2"],
            ["troubleshoot", "panel", "is", "blank"],
            ["troubleshoot", "--list"],
            ["check", os.path.join(fx, "v2-clean")],
        ):
            add(args, env={"COLUMNS": cols})
    add(["troubleshoot", "--color", "always", "panel", "is", "blank"])
    add(["check", "--color", "always", os.path.join(fx, "v2-clean")])
    return runs


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/outputs.py BINARY OUTDIR")
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    # No run of an earlier corpus is left to compare.
    for name in os.listdir(out):
        if name.endswith((".out", ".err")) or name == "index.json":
            os.remove(os.path.join(out, name))
    with tempfile.TemporaryDirectory() as tmp:
        # Run as `cif-advisor` whatever the file is called (clap's usage
        # lines name the program).
        os.mkdir(os.path.join(tmp, "bin"))
        binary = os.path.join(tmp, "bin", "cif-advisor")
        os.symlink(os.path.abspath(sys.argv[1]), binary)
        runs = corpus(tmp)
        env0 = {k: v for k, v in os.environ.items() if not k.startswith("CIF_ADVISOR")}
        # Every run at one evaluation date, so that two corpora
        # taken on different days compare.
        env0["CIF_ADVISOR_AS_OF"] = os.environ.get("CIF_ADVISOR_AS_OF", "2026-12-07")
        env0["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "1796169600")
        env0.pop("COLUMNS", None)
        env0.pop("NO_COLOR", None)
        index = []
        for i, (args, env, stdin) in enumerate(runs):
            e = dict(env0, **env)
            p = subprocess.run(
                [binary] + args, input=stdin or b"", capture_output=True, env=e, cwd=tmp
            )
            # Temporary paths differ between runs: name them alike.
            def norm(b):
                return b.replace(tmp.encode(), b"$TMP")
            key = "%04d" % i
            with open(os.path.join(out, key + ".out"), "wb") as f:
                f.write(norm(p.stdout))
            with open(os.path.join(out, key + ".err"), "wb") as f:
                f.write(norm(p.stderr))
            index.append({"run": key, "args": [a.replace(tmp, "$TMP") for a in args],
                          "env": env, "exit": p.returncode})
        with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as f:
            json.dump(index, f, indent=1)
    digest = hashlib.sha256()
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as f:
            digest.update(name.encode() + b"\0" + f.read())
    print(f"{len(runs)} runs written to {out}; digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
