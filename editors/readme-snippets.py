#!/usr/bin/env python3
"""Checks the Neovim, Helix and Zed set-up snippets of editors/README.md
against the repository, since none of those editors runs here (Debian's
Neovim is 0.7, too old for the snippet's API; Helix and Zed are not packaged).

For each editor the snippet must parse (TOML with tomllib, Lua with `luac -p`
when given), name the `berth` file type and the `berth lsp` command where it
wires the server in, and point at grammar and query files that exist; the
Neovim compile line is run for real.

    python3 editors/readme-snippets.py [LUAC]

Prints one line per check and exits 1 on any failure.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

EDITORS = os.path.dirname(os.path.abspath(__file__))
GRAMMAR = os.path.join(EDITORS, "tree-sitter-berth")
# The parser's C sources (parser.c, and scanner.c for heredocs): what a
# snippet that compiles the parser must name, and a grammar path must hold.
C_SOURCES = sorted(os.path.relpath(p, GRAMMAR) for p in glob.glob(os.path.join(GRAMMAR, "src", "*.c")))
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def sections(text):
    """The README's `## ` sections: title -> list of (language, code)."""
    out, title = {}, None
    for part in re.split(r"^## +(.+)$", text, flags=re.M)[1:]:
        if title is None:
            title = part.strip()
            continue
        out[title] = re.findall(r"^```(\w*)\n(.*?)^```", part, flags=re.M | re.S)
        title = None
    return out


def repo_path(path):
    """A path as the README writes it (`/path/to/berth/editors/...`,
    `editors/...`, or relative to the grammar) inside this checkout."""
    for prefix in ("/path/to/berth/", "file:///path/to/berth/"):
        if path.startswith(prefix):
            return os.path.join(os.path.dirname(EDITORS), path[len(prefix):])
    if path.startswith("editors/"):
        return os.path.join(os.path.dirname(EDITORS), path)
    return os.path.join(GRAMMAR, path)


def files_in_shell(code):
    """Every `editors/...` path and brace list a shell snippet names."""
    paths = []
    for m in re.finditer(r"(editors/[\w./-]+|queries/)\{([\w,]+)\}(\.\w+)|editors/[\w./-]+\.scm", code):
        if m.group(2):
            base = m.group(1)
            paths += [base + name + m.group(3) for name in m.group(2).split(",")]
        else:
            paths.append(m.group(0))
    return paths


def neovim(blocks, luac):
    shell = [c for lang, c in blocks if lang == "sh"]
    lua = [c for lang, c in blocks if lang == "lua"]
    check(len(shell) == 1 and len(lua) == 2, f"neovim: one sh and two lua snippets ({len(shell)}, {len(lua)})")
    for code in shell:
        cc = [line for line in code.splitlines() if line.startswith("cc ")]
        check(len(cc) == 1, "neovim: the snippet compiles the parser with cc")
        named = sorted(a for a in (cc[0].split() if cc else []) if a.endswith(".c"))
        check(named == C_SOURCES, f"neovim: the cc line compiles {', '.join(C_SOURCES)} ({', '.join(named)})")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "berth.so")
            args = cc[0].split() if cc else ["false"]
            args[-1] = out  # in place of ~/.local/share/nvim/site/parser/berth.so
            run = subprocess.run(args, cwd=GRAMMAR, capture_output=True, text=True)
            built = run.returncode == 0 and os.path.isfile(out) and os.path.getsize(out) > 0
            check(built, f"neovim: `{' '.join(args[:-1])} ...` builds parser/berth.so {run.stderr.strip()}")
        for path in files_in_shell(code):
            check(os.path.isfile(repo_path(path)), f"neovim: {path} exists")
    joined = "\n".join(lua)
    for needle, what in [
        ("extension = { berth = 'berth' }", "`.berth` files get filetype berth"),
        ("vim.treesitter.start()", "tree-sitter highlighting is started"),
        ("cmd = { 'berth', 'lsp' }", "the server command is `berth lsp`"),
        ("filetypes = { 'berth' }", "the server is for filetype berth"),
        ("vim.lsp.enable('berth')", "the server config is enabled"),
        ("filetype = 'berth'", "nvim-treesitter maps the parser to filetype berth"),
    ]:
        check(needle in joined, f"neovim: {what}")
    for m in re.finditer(r"url = '([^']+)'", joined):
        for src in C_SOURCES:
            check(os.path.isfile(os.path.join(repo_path(m.group(1)), src)),
                  f"neovim: nvim-treesitter url {m.group(1)} holds {src}")
    files = re.findall(r"files = \{([^}]*)\}", joined)
    check(len(files) == 1, "neovim: nvim-treesitter's install_info names its files")
    for listed in files:
        names = sorted(re.findall(r"'([^']+)'", listed))
        check(names == C_SOURCES, f"neovim: nvim-treesitter files are {', '.join(C_SOURCES)} ({', '.join(names)})")
        for name in names:
            check(os.path.isfile(os.path.join(GRAMMAR, name)), f"neovim: nvim-treesitter file {name} exists")
    if luac:
        for i, code in enumerate(lua):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
                f.write(code)
            run = subprocess.run([luac, "-p", f.name], capture_output=True, text=True)
            os.unlink(f.name)
            check(run.returncode == 0, f"neovim: lua snippet {i + 1} is valid Lua {run.stderr.strip()}")


def helix(blocks):
    toml = [c for lang, c in blocks if lang == "toml"]
    check(len(toml) == 1, "helix: one languages.toml snippet")
    try:
        conf = tomllib.loads(toml[0] if toml else "")
    except tomllib.TOMLDecodeError as e:
        check(False, f"helix: languages.toml parses ({e})")
        return
    lang = next((l for l in conf.get("language", []) if l.get("name") == "berth"), {})
    check(lang.get("file-types") == ["berth"], "helix: language berth for *.berth")
    check(lang.get("scope") == "source.berth", "helix: scope source.berth")
    check(lang.get("comment-token") == "#", "helix: comment token #")
    servers = conf.get("language-server", {})
    for name in lang.get("language-servers", []) or ["(none)"]:
        server = servers.get(name, {})
        check(server.get("command") == "berth" and server.get("args") == ["lsp"],
              f"helix: language server {name} runs `berth lsp`")
    grammar = next((g for g in conf.get("grammar", []) if g.get("name") == "berth"), {})
    path = grammar.get("source", {}).get("path", "")
    for src in C_SOURCES:
        check(os.path.isfile(os.path.join(repo_path(path), src)), f"helix: grammar source {path!r} holds {src}")
    for lang_, code in blocks:
        if lang_ == "sh":
            for p in files_in_shell(code):
                check(os.path.isfile(repo_path(p)), f"helix: {p} exists")


def zed(blocks):
    toml = [c for lang, c in blocks if lang == "toml"]
    check(len(toml) == 2, "zed: extension.toml and config.toml snippets")
    try:
        ext, conf = (tomllib.loads(t) for t in (toml + ["", ""])[:2])
    except tomllib.TOMLDecodeError as e:
        check(False, f"zed: snippets parse ({e})")
        return
    check(all(k in ext for k in ("id", "name", "version", "schema_version")), "zed: extension.toml has id, name, version, schema_version")
    grammar = ext.get("grammars", {}).get(conf.get("grammar", ""), {})
    check(bool(grammar), "zed: config.toml's grammar is declared in extension.toml")
    check(grammar.get("repository", "").startswith("file://") and "rev" in grammar,
          "zed: grammar repository (file://) and rev given")
    path = grammar.get("path", "")
    for src in C_SOURCES:
        check(os.path.isfile(os.path.join(repo_path(path), src)), f"zed: grammar path {path!r} holds {src}")
    check(conf.get("name") == "berth" and conf.get("path_suffixes") == ["berth"], "zed: language berth for *.berth")
    check(conf.get("line_comments") == ["# "], "zed: line comments `# `")
    for lang_, code in blocks:
        if lang_ == "sh":
            for p in files_in_shell(code):
                check(os.path.isfile(repo_path(p)), f"zed: {p} exists")


def main():
    luac = sys.argv[1] if len(sys.argv) > 1 else None
    if luac and not shutil.which(luac):
        check(False, f"{luac} not found")
        luac = None
    check("src/parser.c" in C_SOURCES, f"the grammar's C sources include src/parser.c ({', '.join(C_SOURCES)})")
    with open(os.path.join(EDITORS, "README.md"), encoding="utf-8") as f:
        found = sections(f.read())
    for title, test in (("Neovim", lambda b: neovim(b, luac)), ("Helix", helix), ("Zed", zed)):
        check(title in found, f"README has a `## {title}` section")
        if title in found:
            test(found[title])
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
