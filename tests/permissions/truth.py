"""What each role must never receive, worked out from the world's own story.

The ground truth of the body scan. It reads the workspace document the world was
loaded from, the people of each role, and the facts the test itself created (comments,
dismissals, internal entries, which alerts the checks raised and between which
tracks); it never asks `server.services` who may see what. From those it names, per
role, the strings that role must not find in any body, fragment or stream frame:

- `hidden_track`: the title, description, aims, objectives, dates and key of a track
  the role may not see, and the decisions, field reports, comments and parties that
  only such tracks carry;
- `internal_item`: the values of an item kept home (text, FTE, dates, amount,
  currency, kind) and internal comments, for a reader abroad;
- `internal_department`: the name of a department that only internal items bring in
  (so a reader abroad learns of it only through them, for example in sign-off reasons);
- `external_link`: a coordination link to a track outside the workspace, which stays home;
- `home_log`: texts of the decision log that stay with one government (a dismissal's
  reason, an internal decision or decline);
- `notice_org`: an organisation that a role could learn of only from a blind notice on
  a track that is not its own;
- `grantee`: an organisation a track is shared with, for a reader abroad;
- `organisation`: any other organisation the role has no reason to read about.

Organisation, crisis and party names also form a directory (the selects of the forms,
the export's lists): those are searched outside it, see `Secret.directory`.

A string is forbidden only if every place it comes from is hidden from the role: the
same aims on two tracks are no secret from a reader of either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from server.domain import signoffs
from server.domain.snapshot import Initiative, Workspace, parse_document

KINDS = (
    "hidden_track",
    "internal_item",
    "internal_department",
    "external_link",
    "home_log",
    "notice_org",
    "grantee",
    "organisation",
)
DIRECTORY_KINDS = {"internal_department", "notice_org", "grantee", "organisation"}
DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y")
LINE_PARTS = ("red_lines", "staff", "resources", "leverage", "metrics")


@dataclass(frozen=True)
class Person:
    """A role of the scan: the organisation it works for and its kind of account."""

    role: str
    org: str | None  # None: not signed in
    kind: str = "desk_officer"


@dataclass(frozen=True)
class Secret:
    kind: str
    text: str
    what: str
    # A name that a directory (a form's select, the export's lists) may print: searched outside it.
    directory: bool = False

    def pattern(self) -> re.Pattern[str]:
        """Case-insensitive; a number or a key only whole (0.35 is not in 10.352, t-a not in t-ab)."""
        body = re.escape(self.text)
        if re.fullmatch(r"[\d.,]+", self.text):
            return re.compile(rf"(?<![\d.,]){body}(?!\d|,\d)")
        if re.fullmatch(r"[\w.-]+", self.text):
            return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.I)
        return re.compile(body, re.I)


@dataclass(frozen=True)
class Source:
    """One place a string comes from, and the roles that may read it there."""

    kind: str
    text: str
    what: str
    audience: frozenset[str]
    directory: bool = False
    # For an organisation's name: its key (the kind of secret then depends on the reader).
    org: str | None = None


@dataclass
class Facts:
    """What happened in the world besides its document (all of it done by the test)."""

    # (track key, text, internal, author role)
    comments: list[tuple[str, str, bool, str]] = field(default_factory=list)
    # Alerts the checks raised: id -> (kind, track keys, subjects).
    alerts: dict[int, tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    # (from track, to track) of each coordination request.
    requests: list[tuple[str, str]] = field(default_factory=list)
    # (alert id, government that dismissed it, reason)
    dismissals: list[tuple[int, str, str]] = field(default_factory=list)
    # (track key, text) of decisions, and of declines' reasons, kept internal.
    internal_entries: list[tuple[str, str]] = field(default_factory=list)
    # (track key, part, text) of items added to a track as internal after the import.
    internal_lines: list[tuple[str, str, str]] = field(default_factory=list)
    # (track key, text) of decisions logged after the import, for whoever reads the track.
    decisions: list[tuple[str, str]] = field(default_factory=list)
    # (track key, role) of live grants made to one person after the import.
    person_grants: list[tuple[str, str]] = field(default_factory=list)
    # (government, key) of each delegation of sign-off: its government's to read only.
    delegations: list[tuple[str, str]] = field(default_factory=list)


def date_texts(value: dt.date | str | None) -> list[str]:
    """A date as the API and the pages write it."""
    if value is None:
        return []
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return [d.strftime(f) for f in DATE_FORMATS]


def number_texts(value: float) -> list[str]:
    """An amount as JSON and the pages write it (4321987, 4,321,987)."""
    out = [f"{value:g}" if value != int(value) else str(int(value))]
    if abs(value) >= 1000:
        out.append(f"{value:,.0f}")
    return out


class Truth:
    """Who may read what in one world, and so which strings each role must not receive."""

    def __init__(self, document: dict[str, Any], people: Iterable[Person], facts: Facts) -> None:
        self.ws: Workspace = parse_document(document)
        self.people = {p.role: p for p in people}
        self.facts = facts
        self.orgs = {o.key: o for o in self.ws.organisations}
        self.tracks = {i.key: i for i in self.ws.initiatives}
        self.parties = {p.key: p for p in self.ws.parties}
        self.sources: list[Source] = []
        self._collect()

    # ---------------------------------------------------------------- who sees what

    def government(self, org: str | None) -> str | None:
        if org is None:
            return None
        o = self.orgs.get(org)
        return (o.government if o and o.government else None) or org

    def home(self, role: str) -> set[str]:
        """Keys of the tracks of the role's own government (none for field contributors)."""
        p = self.people[role]
        if p.org is None or p.kind == "field_contributor":
            return set()
        gov = self.government(p.org)
        return {k for k, t in self.tracks.items() if self.government(t.owner) == gov}

    def granted(self, role: str) -> set[str]:
        p = self.people[role]
        if p.org is None:
            return set()
        gov = self.government(p.org)
        out = set()
        for k, t in self.tracks.items():
            for g in t.shared_with:
                # A grant to a state's own organisation stands for its whole government.
                named = g if isinstance(g, str) else g.org
                state = self.orgs.get(named) if named else None
                if state is not None and state.kind == "state" and self.government(named) == gov:
                    hit = True
                elif isinstance(g, str):
                    hit = g == p.org
                else:
                    hit = g.org == p.org or g.government == gov
                if hit:
                    out.add(k)
        return out | {k for k, r in self.facts.person_grants if r == role}

    def visible(self, role: str) -> set[str]:
        return self.home(role) | self.granted(role)

    def _seeing(self, track: str) -> frozenset[str]:
        return frozenset(r for r in self.people if track in self.visible(r))

    def _home_of(self, track: str) -> frozenset[str]:
        return frozenset(r for r in self.people if track in self.home(r))

    def alerts_seen(self, role: str) -> set[int]:
        """Alerts are their government's own: those of the role's home tracks."""
        mine = self.home(role)
        return {a for a, (_, tracks, _) in self.facts.alerts.items() if mine & set(tracks)}

    def decisions_of(self, track: str) -> list[Any]:
        return [d for d in self.ws.decisions if d.initiative == track]

    def view_for(self, role: str, track: str) -> Initiative:
        """The track as the role may read it: without internal items abroad."""
        t = self.tracks[track]
        if track in self.home(role):
            return t
        kept: dict[str, Any] = {part: [x for x in getattr(t, part) if not x.internal] for part in LINE_PARTS}
        # Abroad a reader knows of one grant only: its own.
        p = self.people[role]
        kept["shared_with"] = [
            g
            for g in t.shared_with
            if (
                g == p.org if isinstance(g, str) else g.org == p.org or g.government == self.government(p.org)
            )
        ]
        return t.model_copy(update=kept | {"coordinated_with": []})

    # ---------------------------------------------------------------- sources

    def _add(
        self,
        kind: str,
        text: str | None,
        what: str,
        audience: Iterable[str],
        directory: bool = False,
        org: str | None = None,
    ) -> None:
        if text:
            self.sources.append(Source(kind, str(text), what, frozenset(audience), directory, org))

    def _collect(self) -> None:
        everyone = frozenset(self.people)
        known_keys = set(self.tracks)
        for k, t in self.tracks.items():
            seeing, home = self._seeing(k), self._home_of(k)
            self._add("hidden_track", t.title, f"title of {k}", seeing)
            self._add("hidden_track", t.description, f"description of {k}", seeing)
            self._add("hidden_track", k, f"key of {k}", seeing)
            for n, aim in enumerate(t.aims):
                self._add("hidden_track", aim, f"aim {n} of {k}", seeing)
            for n, objective in enumerate(t.objectives):
                self._add("hidden_track", objective, f"objective {n} of {k}", seeing)
            for name, value in (("start", t.start), ("end", t.end)):
                for text in date_texts(value):
                    self._add("hidden_track", text, f"{name} of {k}", seeing)
            for party in t.parties:
                name = self.parties[party].name
                self._add("hidden_track", name, f"party {party} of {k}", seeing, directory=True)
                self._add("hidden_track", party, f"party key {party} of {k}", seeing, directory=True)
            for other in t.coordinated_with:
                if other not in known_keys:
                    self._add("external_link", other, f"external link of {k}", home)
            self._items(k, t, seeing, home)
        for d in self.ws.decisions:
            seeing = self._seeing(d.initiative)
            self._add("hidden_track", d.text, f"decision {d.key}", seeing)
            self._add("hidden_track", d.key, f"key of decision {d.key}", seeing)
            for so in d.signoffs:
                self._add("hidden_track", so.reason, f"reason of {so.org} on {d.key}", seeing)
        for r in self.ws.field_reports:
            readers = (
                set(self._seeing(r.initiative))
                if r.initiative
                else {
                    x for x, p in self.people.items() if p.org is not None and p.kind != "field_contributor"
                }
            )
            readers |= {x for x, p in self.people.items() if p.org is not None and p.org == r.org}
            self._add("hidden_track", r.text, f"field report {r.key}", readers)
        for track, text, internal, _ in self.facts.comments:
            if internal:
                self._add("internal_item", text, f"internal comment on {track}", self._home_of(track))
            else:
                self._add("hidden_track", text, f"comment on {track}", self._seeing(track))
        for track, text in self.facts.decisions:
            self._add("hidden_track", text, f"decision logged on {track}", self._seeing(track))
        for alert_id, gov, reason in self.facts.dismissals:
            by = [
                r
                for r, p in self.people.items()
                if p.kind != "field_contributor" and self.government(p.org) == gov
            ]
            self._add("home_log", reason, f"reason {gov} gave to dismiss alert {alert_id}", by)
        for gov, key in self.facts.delegations:
            by = [
                r
                for r, p in self.people.items()
                if p.kind != "field_contributor" and self.government(p.org) == gov
            ]
            self._add("home_log", key, f"delegation {key} of {gov}", by)
        for track, text in self.facts.internal_entries:
            self._add("home_log", text, f"internal log entry on {track}", self._home_of(track))
        for track, part, text in self.facts.internal_lines:
            self._add("internal_item", text, f"internal {part} added to {track}", self._home_of(track))
        self._organisations(everyone)

    def _items(self, k: str, t: Initiative, seeing: frozenset[str], home: frozenset[str]) -> None:
        for part in LINE_PARTS:
            for n, x in enumerate(getattr(t, part)):
                aud = home if x.internal else seeing
                what = f"{'internal ' if x.internal else ''}{part}[{n}] of {k}"
                kind = "internal_item" if x.internal else "hidden_track"
                if part == "red_lines":
                    self._add(kind, x.text, what, aud)
                elif part == "metrics":
                    self._add(kind, x.name, what, aud)
                    self._add(kind, x.target, what, aud)
                elif part == "leverage":
                    self._add(kind, x.description, what, aud)
                    if x.party is not None:
                        # The party a tool aims at is its track's content, like the track's parties.
                        name = self.parties[x.party].name
                        self._add(kind, name, f"party aimed at by {what}", aud, directory=True)
                    if x.internal:
                        self._kind_of_internal(t, part, x.kind, what, seeing, home)
                elif part == "resources":
                    if x.internal:  # a shared line's currency is a common word
                        self._kind_of_internal(t, part, x.kind, what, seeing, home)
                        self._add(kind, x.currency, f"currency of {what}", aud)
                    for text in number_texts(x.amount) if x.amount is not None else []:
                        self._add(kind, text, f"amount of {what}", aud)
                if part == "staff" and x.internal:
                    self._add(kind, f"{x.fte:g}", f"FTE of {what}", aud)
                if part in ("staff", "resources"):
                    for text in date_texts(x.until):
                        self._add(kind, text, f"end date of {what}", aud)

    def _kind_of_internal(
        self, t: Initiative, part: str, kind: str, what: str, seeing: frozenset[str], home: frozenset[str]
    ) -> None:
        """The kind of an internal item ("sanction", "logistics") tells a reader of the track
        something only if no shared item of the track has that kind; to anyone else it is
        a common word of the forms. So it is kept only from the track's readers abroad."""
        if any(x.kind == kind for x in getattr(t, part) if not x.internal):
            return
        abroad = seeing - home
        everyone = frozenset(self.people)
        for text in dict.fromkeys((kind, kind.replace("_", " "))):
            self._add("internal_item", text, f"kind of {what}", everyone - abroad, directory=True)

    # ---------------------------------------------------------------- organisations

    def _org_readers(self) -> dict[str, dict[str, set[str]]]:
        """Per organisation, per role: why the role may read its name (empty: no reason)."""
        why: dict[str, dict[str, set[str]]] = {o: {r: set() for r in self.people} for o in self.orgs}

        def ok(org: str | None, role: str, reason: str) -> None:
            if org in why:
                why[org][role].add(reason)

        for role, p in self.people.items():
            if p.org is None:
                continue
            gov = self.government(p.org)
            for o in self.orgs:
                if self.government(o) == gov:
                    ok(o, role, "own government")
            for k in self.visible(role):
                t = self.view_for(role, k)
                ok(t.owner, role, "owner")
                for part in ("staff", "resources", "leverage"):
                    for x in getattr(t, part):
                        ok(x.org, role, "item")
                for g in self.tracks[k].shared_with if k in self.home(role) else []:
                    ok(g if isinstance(g, str) else g.org, role, "grant")
                    if not isinstance(g, str) and g.government:
                        for o in self.orgs:
                            if self.government(o) == g.government:
                                ok(o, role, "grant")
                orgs = self.orgs
                for d in self.decisions_of(k):
                    for org in signoffs.required_departments(d, t, orgs):
                        ok(org, role, "sign-off")
                    for so in d.signoffs:
                        ok(so.org, role, "sign-off")
                for r in self.ws.field_reports:
                    if r.initiative == k:
                        ok(r.org, role, "report")
            for r in self.ws.field_reports:
                if r.initiative is None and p.kind != "field_contributor" or r.org == p.org:
                    ok(r.org, role, "report")
            for track, _, internal, author in self.facts.comments:
                if track in (self.home(role) if internal else self.visible(role)):
                    ok(self.people[author].org, role, "comment")
            for alert_id in self.alerts_seen(role):
                for k in self.facts.alerts[alert_id][1]:
                    ok(self.tracks[k].owner, role, "notice")
            for a, b in self.facts.requests:
                if {a, b} & self.home(role):
                    ok(self.tracks[a].owner, role, "request")
                    ok(self.tracks[b].owner, role, "request")
        return why

    def _organisations(self, everyone: frozenset[str]) -> None:
        for org, roles in self._org_readers().items():
            readers = {r for r, why in roles.items() if why}
            name = self.orgs[org].name
            self._add("organisation", name, f"name of {org}", readers, directory=True, org=org)

    def _why_secret(self, org: str, role: str) -> str:
        """Which story an organisation the role may not read about belongs to."""
        abroad = self.visible(role) - self.home(role)
        for k in abroad:
            t = self.tracks[k]
            if any((g if isinstance(g, str) else g.org) == org for g in t.shared_with):
                return "grantee"
        for k in abroad:
            t = self.tracks[k]
            if any(x.org == org for part in ("staff", "resources", "leverage") for x in getattr(t, part)):
                return "internal_department"
            for d in self.decisions_of(k):
                if org in signoffs.required_departments(d, t, self.orgs):
                    return "internal_department"
        for _, tracks, _ in self.facts.alerts.values():
            if abroad & set(tracks) and org in {self.tracks[x].owner for x in tracks}:
                return "notice_org"
        return "organisation"

    # ---------------------------------------------------------------- answers

    def forbidden(self, role: str) -> list[Secret]:
        """The strings `role` must not receive: from sources hidden from it, and from no other."""
        readable = {s.text.lower() for s in self.sources if role in s.audience}
        out: dict[str, Secret] = {}
        for s in self.sources:
            text = s.text.lower()
            if role in s.audience or text in readable or text in out:
                continue
            kind = self._why_secret(s.org, role) if s.org else s.kind
            what = f"{s.what} ({kind})" if s.org else s.what
            out[text] = Secret(kind, s.text, what, s.directory)
        return list(out.values())

    def allowed_somewhere(self) -> dict[str, frozenset[str]]:
        """Each secret string and the roles that may read it (to prove the search is not vacuous)."""
        out: dict[str, set[str]] = {}
        for s in self.sources:
            out.setdefault(s.text.lower(), set()).update(s.audience)
        return {k: frozenset(v) for k, v in out.items()}
