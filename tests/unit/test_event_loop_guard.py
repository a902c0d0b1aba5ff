"""No `async def` in the server reaches the synchronous database session.

A sync SQLAlchemy call on the event loop blocks every request of the process until it
returns, and waits for ever once the pool is held by the thread pool (the wedge at 16
connections). This reads the source: inside any `async def` of `server/` (nested plain
functions and lambdas aside, since they run where they are handed, a worker thread),
no call may open a session or an engine, use a session's methods, or call a function
that takes a `Session`. Work with the database goes through `anyio.to_thread.run_sync`,
`run_in_executor` or a plain `def` route, which FastAPI runs in its thread pool.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "server").rglob("*.py"))
OPENERS = {"Session", "session_scope", "get_engine", "make_engine", "create_engine", "probe_engine"}
SESSION_NAMES = {"db", "session", "sess"}
SESSION_METHODS = {
    "exec", "execute", "get", "commit", "flush", "add", "add_all", "delete", "scalar", "scalars",
    "query", "refresh", "merge", "rollback", "begin", "begin_nested",
}  # fmt: skip


def _annotation_names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return (
        {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        | {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        | {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    )


def session_takers(trees: list[ast.Module]) -> set[str]:
    """Names of the plain functions anywhere in `server/` that take a `Session` argument."""
    out: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if any("Session" in _annotation_names(a.annotation) for a in args):
                    out.add(node.name)
    return out


def _own_body(fn: ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes that run on the event loop when `fn` runs: nested defs and lambdas left out."""
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _server_imports(tree: ast.Module) -> set[str]:
    """The names a module binds to what it imports from `server` (modules and functions)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("server"):
            out |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.startswith("server")}
    return out


def blocking_calls(tree: ast.Module, takers: set[str]) -> list[str]:
    """`name:line` of every call in an `async def` of `tree` that would block on the database."""
    modules = _server_imports(tree)
    found: list[str] = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.AsyncFunctionDef):
            continue
        for node in _own_body(fn):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            # A function called by its name, or through a module of the server (`decisions.get`):
            # `request.headers.get` is not the service `get`.
            if isinstance(f, ast.Name):
                name = f.id
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in modules:
                name = f.attr
            else:
                name = f.attr if isinstance(f, ast.Attribute) and f.attr in OPENERS else ""
            on_session = (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id in SESSION_NAMES
                and f.attr in SESSION_METHODS
            )
            if on_session:
                found.append(f"{fn.name}:{node.lineno} calls {f.attr}")  # type: ignore[union-attr]
            elif name in OPENERS or name in takers:
                found.append(f"{fn.name}:{node.lineno} calls {name}")
    return found


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(), str(p)) for p in SOURCES}


def test_no_async_def_in_the_server_calls_the_sync_session() -> None:
    trees = _trees()
    takers = session_takers(list(trees.values()))
    assert len(takers) > 50, "the scan found the services that take a session"
    offences = [f"{p.relative_to(ROOT)}: {c}" for p, t in trees.items() for c in blocking_calls(t, takers)]
    assert offences == []


def test_the_guard_sees_each_way_of_blocking() -> None:
    bad = ast.parse(
        "async def a(request):\n"
        "    with session_scope() as db:\n"
        "        db.exec(q)\n"
        "async def b(db):\n"
        "    return db.get(User, 1)\n"
        "async def c(request):\n"
        "    return initiative_page(x, 1) or decisions.get(x, 1) or request.headers.get('a')\n"
        "async def d(request):\n"
        "    return await anyio.to_thread.run_sync(initiative_page, x, 1)\n"
        "async def e(request):\n"
        "    def inner():\n"
        "        return db.get(User, 1)\n"
        "    return await anyio.to_thread.run_sync(inner)\n"
    )
    bad.body.insert(0, ast.parse("from server.services import decisions").body[0])
    found = blocking_calls(bad, {"initiative_page", "get"})
    assert sorted(f.split(" calls ")[0].split(":")[0] + " " + f.split(" calls ")[1] for f in found) == [
        "a exec",
        "a session_scope",
        "b get",
        "c get",
        "c initiative_page",
    ]
