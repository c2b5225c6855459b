"""``workbench member | comment | comments | reply | resolve``: the people on a project and
the supervisor's comments.

``member add`` / ``role`` / ``remove`` are for the project's researcher; the store refuses
them for anyone else. ``comment``, ``reply`` and ``resolve`` are what a supervisor may do
(besides ``snapshot NAME``), the same as the comment keys of the terminal UI.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from workbench.cli.output import out, out_json
from workbench.cli.session import open_project
from workbench.i18n import UserError, t

ROLE_CHOICES = ("researcher", "co-coder", "supervisor")
ANCHORS = ("theme", "code", "extract", "transcript")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("member", help=t("team.help.member"))
    actions = p.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    q = actions.add_parser("add", help=t("team.help.member_add"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.add_argument("--role", choices=ROLE_CHOICES, default="co-coder", help=t("team.help.role"))
    q.set_defaults(run=cmd_member_add)
    q = actions.add_parser("list", help=t("team.help.member_list"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("--json", action="store_true", help=t("cli.help.json"))
    q.set_defaults(run=cmd_member_list)
    q = actions.add_parser("role", help=t("team.help.member_role"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.add_argument("role", choices=ROLE_CHOICES, help=t("team.help.role"))
    q.set_defaults(run=cmd_member_role)
    q = actions.add_parser("remove", help=t("team.help.member_remove"))
    q.add_argument("project", help=t("cli.help.project_path"))
    q.add_argument("name", help=t("team.help.name"))
    q.set_defaults(run=cmd_member_remove)

    p = sub.add_parser("comment", help=t("team.help.comment"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--on", nargs=2, metavar=("KIND", "REF"), help=t("team.help.on"))
    p.add_argument("text", help=t("team.help.text"))
    p.set_defaults(run=cmd_comment)

    p = sub.add_parser("comments", help=t("team.help.comments"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--all", action="store_true", help=t("team.help.all"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.set_defaults(run=cmd_comments)

    p = sub.add_parser("reply", help=t("team.help.reply"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("id", type=int, help=t("team.help.comment_id"))
    p.add_argument("text", help=t("team.help.text"))
    p.set_defaults(run=cmd_reply)

    p = sub.add_parser("resolve", help=t("team.help.resolve"))
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("id", type=int, help=t("team.help.comment_id"))
    p.add_argument("--reopen", action="store_true", help=t("team.help.reopen"))
    p.set_defaults(run=cmd_resolve)


def _role(role: str) -> str:
    return t(f"members.role.{role}")


# -- members -------------------------------------------------------------------------------


def cmd_member_add(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        first = not wb.members.list()
        member = wb.members.add(args.name, args.role)
        actor = wb.store.actor
    if first and member.name != actor:
        out(t("team.member.first", name=actor))
    out(t("team.member.added", name=member.name, role=_role(member.role)))
    return 0


def cmd_member_list(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        members = wb.members.list()
    if args.json:
        out_json([{"name": m.name, "role": m.role, "added_at": m.added_at} for m in members])
        return 0
    if not members:
        out(t("team.member.none"))
    for m in members:
        out(f"{m.name:<20}  {_role(m.role)}")
    return 0


def cmd_member_role(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        member = wb.members.set_role(args.name, args.role)
    out(t("team.member.role_set", name=member.name, role=_role(member.role)))
    return 0


def cmd_member_remove(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        wb.members.remove(args.name)
    out(t("team.member.removed", name=args.name))
    return 0


# -- comments ------------------------------------------------------------------------------


def _anchor(wb: Any, kind: str, ref: str) -> tuple[str, int]:
    """The anchor kind and id of ``--on KIND REF`` (a name, or a number for an extract)."""
    from workbench.domain.model import name_key

    if kind not in ANCHORS:
        raise UserError("team.comment.bad_kind", kind=kind, kinds=", ".join(ANCHORS))
    if kind == "extract":
        if not ref.isdigit():
            raise UserError("team.comment.extract_id", ref=ref)
        return "coding", int(ref)
    if kind == "code":
        code = wb.codes.find(ref)
        if code is None:
            raise UserError("team.comment.not_found", kind=t(f"team.kind.{kind}"), ref=ref)
        return "code", code.id
    if kind == "transcript":
        return "transcript", wb.transcripts.get(ref).id
    from workbench.services.themes import walk

    for theme, _depth in walk(wb.themes.tree()):
        if name_key(theme.name) == name_key(ref):
            return "theme", theme.id
    raise UserError("team.comment.not_found", kind=t(f"team.kind.{kind}"), ref=ref)


def cmd_comment(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        if args.on:
            kind, anchor_id = _anchor(wb, *args.on)
            comment = wb.review.comment(kind, anchor_id, args.text)
        else:
            comment = wb.review.comment("project", None, args.text)
    out(t("team.comment.added", id=comment.id, label=comment.anchor_label or t("team.kind.project")))
    return 0


def cmd_comments(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        comments = wb.review.comments(status=None if args.all else "open")
    if args.json:
        out_json([asdict(c) for c in comments])
        return 0
    if not comments:
        out(t("team.comment.none"))
    for c in comments:
        state = "" if c.status == "open" else f"  [{t('team.comment.resolved_mark')}]"
        label = c.anchor_label or t("team.kind.project")
        out(f"#{c.id}  {c.author}  «{label}»{state}")
        out(f"    {c.text}")
        for r in c.replies:
            out(f"    ↳ #{r.id}  {r.author}: {r.text}")
    return 0


def cmd_reply(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        reply = wb.review.reply(args.id, args.text)
    out(t("team.comment.replied", id=reply.id, parent=args.id))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        wb.review.resolve(args.id, resolved=not args.reopen)
    out(t("team.comment.reopened" if args.reopen else "team.comment.resolved", id=args.id))
    return 0


__all__ = [
    "add_parsers", "cmd_comment", "cmd_comments", "cmd_member_add", "cmd_member_list",
    "cmd_member_remove", "cmd_member_role", "cmd_reply", "cmd_resolve",
]
