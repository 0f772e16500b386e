"""Dated roles and memberships: an actor's `roles: [{title, from, to}]` and `member_of: [{id, from, to}]`,
read from the YAML (validate) and asked which held at a date (pages).

A span's partial dates cover their whole period: `from: 2013` is from the first day of 2013, `to: 2021-08`
through the last day of August 2021; an open end is open. A dated thing (a quote, an event) falls in a span
only when all of its own period does: a quote dated `2021` is not within a role that ends `2021-08`, since it
may have been said in September, so a page never names a role the speaker may not yet or no longer have held.
An approximate date (an event's `~2003`) is within no span.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date

from .dates import PartialDate
from .fields import Fields, describe
from .model import Actor, Membership, Ref, Role

ROLE_FIELDS = ("title", "from", "to")
MEMBERSHIP_FIELDS = ("id", "from", "to")


def first_day(when: PartialDate) -> date:
    return date(when.year, when.month or 1, when.day or 1)


def last_day(when: PartialDate) -> date:
    month = when.month or 12
    return date(when.year, month, when.day or calendar.monthrange(when.year, month)[1])


def within(when: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether all of when's period lies inside the span from start to end (both ends included, None open)."""
    return (start is None or first_day(when) >= first_day(start)) and (end is None or last_day(when) <= last_day(end))


def roles_at(actor: Actor, when: PartialDate | None) -> tuple[Role, ...]:
    """The roles actor held all through when (none for an undated thing), in the order written."""
    if when is None or when.approximate:  # about a date: not surely inside any span
        return ()
    return tuple(role for role in actor.roles if within(when, role.start, role.end))


def membership_in(actor: Actor, group_id: str) -> Membership | None:
    """actor's membership of group_id, as written first."""
    return next((m for m in actor.memberships if m.group.id == group_id), None)


def span(fields: Fields) -> tuple[PartialDate | None, PartialDate | None]:
    """An entry's `from` and `to`; `to` before `from` is an error at its line."""
    start, end = fields.date("from"), fields.date("to")
    if start and end and end.is_before(start):
        fields.error("to", f"'to' ({end}) is before 'from' ({start}) in {fields.what}: swap them or fix one")
        return start, None
    return start, end


def read_roles(fields: Fields) -> tuple[tuple[Role, ...], str | None]:
    """An actor's `roles:` and the current one (the last without a `to`). A title given by language puts the
    roles in each language into fields.by_lang (key `roles`, and `role` for the current one when `role:` is not
    written), a language's only when every title given by language has its text."""
    roles: list[Role] = []
    by_lang: list[dict[str, str]] = []
    mapped = False
    for index, item in fields.items("roles"):
        own = fields.sub(item, "roles", index, what=f"role {index + 1} of {fields.what}")
        own.check_known(ROLE_FIELDS)
        title = own.by_language("title", "prose", required=True)
        start, end = span(own)
        if title:
            roles.append(Role(title, start, end))
            by_lang.append({lang: text for lang, _key, text in own.by_lang})
            mapped = mapped or bool(own.mapped)
    current = next((role.title for role in reversed(roles) if role.end is None), None)
    if mapped:
        fields.mapped.append("roles")
        derived = "role" not in fields.data and current is not None
        if derived:
            fields.mapped.append("role")
        for lang in fields.languages[1:]:
            if all(lang in texts for texts in by_lang if texts):
                pairs = zip(roles, by_lang, strict=True)
                shown = tuple(dataclasses.replace(role, title=texts.get(lang, role.title)) for role, texts in pairs)
                fields.by_lang.append((lang, "roles", shown))
                if derived:
                    fields.by_lang.append((lang, "role", next(r.title for r in reversed(shown) if r.end is None)))
    return tuple(roles), current


def read_memberships(fields: Fields) -> tuple[Membership, ...]:
    """`member_of`: ids, or `{id, from, to}` entries, in any mix; one bare entry is a list of one."""
    value = fields.raw("member_of", False)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for index, item in enumerate(items):
        key: tuple[str | int, ...] = ("member_of", index) if isinstance(value, list) else ("member_of",)
        if isinstance(item, dict):
            own = fields.sub(item, *key, what=f"membership {index + 1} of {fields.what}")
            own.check_known(MEMBERSHIP_FIELDS)
            group = own.ref("id", required=True)
            start, end = span(own)
            if group is not None:
                found.append(Membership(group, start, end))
        elif isinstance(item, bool) or not isinstance(item, str | int):
            fields.error_at(fields.line(*key), f"'member_of' must list ids or {{id, from, to}} entries, "
                                               f"not {describe(item)}")  # fmt: skip
        else:
            found.append(Membership(Ref(str(item).strip(), fields.doc.path, fields.line(*key))))
    return tuple(found)
