"""``workbench agreement | disagreements | consensus``: agreement between coders, the units
they coded differently, and settling those by consensus.

In a reflexive project (the default kind of analysis) ``agreement`` first says, in one
sentence, why these figures are not a measure of the quality of a reflexive thematic
analysis (Braun & Clarke); with ``--json`` that sentence goes to stderr, so stdout stays
JSON.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.cli.output import err, out, out_json
from workbench.cli.session import open_project
from workbench.domain.agreement import DEFAULT_UNIT, TAKES, UNITS
from workbench.i18n import UserError, t

if TYPE_CHECKING:  # the services load when a command runs, not with every CLI start
    from workbench.services.agreement import AgreementReport, AgreementService, DisagreementView


def _common(p: argparse.ArgumentParser, *, json: bool = True) -> None:
    p.add_argument("project", help=t("cli.help.project_path"))
    p.add_argument("--coders", required=True, metavar="A,B", help=t("agreement.help.coders"))
    p.add_argument("--unit", choices=UNITS, default=DEFAULT_UNIT, help=t("agreement.help.unit"))
    p.add_argument("--transcript", help=t("agreement.help.transcript"))
    p.add_argument("--code", help=t("agreement.help.code"))
    if json:
        p.add_argument("--json", action="store_true", help=t("cli.help.json"))


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("agreement", help=t("agreement.help.agreement"))
    _common(p)
    p.set_defaults(run=cmd_agreement)

    p = sub.add_parser("disagreements", help=t("agreement.help.disagreements"))
    _common(p)
    p.set_defaults(run=cmd_disagreements)

    p = sub.add_parser("consensus", help=t("agreement.help.consensus"))
    _common(p, json=False)
    p.add_argument("number", type=int, nargs="?", metavar="N", help=t("agreement.help.number"))
    p.add_argument("--take", choices=TAKES, help=t("agreement.help.take"))
    p.add_argument("--agreed", action="store_true", help=t("agreement.help.agreed"))
    p.set_defaults(run=cmd_consensus)


def coders_of(args: argparse.Namespace) -> list[str]:
    return [c.strip() for c in str(args.coders).split(",") if c.strip()]


def _names(coders: tuple[str, ...] | list[str]) -> str:
    from workbench.services.agreement import coder_label

    labels = [coder_label(c) for c in coders]
    if len(labels) <= 1:
        return "".join(labels)
    return t("agreement.cli.and", first=", ".join(labels[:-1]), last=labels[-1])


def _caveat(service: AgreementService, *, json: bool) -> None:
    if service.analysis_kind() == "reflexive":
        (err if json else out)(t("agreement.caveat"))
        if not json:
            out()


# -- agreement -------------------------------------------------------------------------------


def report_lines(report: AgreementReport) -> list[str]:
    """The figures as a plain table (also what the TUI would print to a log)."""
    from workbench.services.agreement import format_percent, format_stat

    rows = [(name, fig) for name, fig in report.codes]
    width = max([len(t("agreement.col.code")), len(t("agreement.cli.overall"))]
                + [len(name) for name, _ in rows])
    width = min(width, 40)

    def line(name: str, units: str, pct: str, kappa: str, alpha: str) -> str:
        short = name if len(name) <= width else name[: width - 1] + "…"
        return f"{short:<{width}}  {units:>7}  {pct:>8}  {kappa:>6}  {alpha:>6}"

    lines = [
        t("agreement.cli.title", coders=_names(report.coders),
          unit=t(f"agreement.unit.{report.unit}"),
          kind=t(f"agreement.kind.{report.analysis_kind}")),
        "",
        line(t("agreement.col.code"), t("agreement.col.units"), t("agreement.col.percent"),
             t("agreement.col.kappa"), t("agreement.col.alpha")),
    ]
    for name, fig in rows:
        lines.append(line(name, str(fig.units), format_percent(fig.percent_agreement),
                          format_stat(fig.kappa), format_stat(fig.alpha)))
    o = report.overall
    lines.append(line(t("agreement.cli.overall"), str(o.units), format_percent(o.percent_agreement),
                      format_stat(o.kappa), format_stat(o.alpha)))
    lines.append("")
    if report.transcripts:
        lines.append(t("agreement.cli.transcripts", names=", ".join(report.transcripts)))
    else:
        lines.append(t("agreement.cli.no_units"))
    if report.skipped:
        lines.append(t("agreement.cli.skipped", names=", ".join(report.skipped)))
    if report.blind:
        lines.append(t("agreement.cli.blind", names=", ".join(report.blind)))
    lines.append(t("agreement.definition"))
    return lines


def cmd_agreement(args: argparse.Namespace) -> int:
    with open_project(args) as wb:
        service = wb.agreement
        _caveat(service, json=args.json)
        report = service.compute(coders_of(args), args.unit, args.transcript, args.code)
    if args.json:
        out_json(report.as_dict())
        return 0
    for text in report_lines(report):
        out(text)
    if not report.recorded:
        out(t("agreement.cli.not_recorded"))
    return 0


# -- disagreements ---------------------------------------------------------------------------


def _take_text(take: str, coders: tuple[str, ...]) -> str:
    from workbench.services.agreement import coder_label

    coder = coder_label(coders[0] if take == "a" else coders[-1])
    return t(f"agreement.take.{take}", coder=coder)


def disagreement_lines(item: DisagreementView) -> list[str]:
    from workbench.services.agreement import coder_label

    where = " · ".join(x for x in (item.transcript, item.speaker, f"{item.start}–{item.end}") if x)
    lines = [f"{item.number:>4}  {where}  «{item.excerpt}»"]
    width = max(len(coder_label(c)) for c in item.coders) + 1
    for coder, codes in item.codes:
        names = ", ".join(codes) if codes else t("agreement.cli.nothing")
        lines.append(f"{'':6}{coder_label(coder) + ':':<{width}} {names}")
    if item.settled:
        lines.append(f"{'':6}{t('agreement.cli.settled', take=_take_text(item.settled, item.coders))}")
    return lines


def cmd_disagreements(args: argparse.Namespace) -> int:
    with open_project(args, readonly=True) as wb:
        service = wb.agreement
        found = service.disagreements(coders_of(args), args.unit, args.transcript, args.code)
    if args.json:
        out_json({
            "coders": list(found.coders), "unit": found.unit, "units": found.units,
            "skipped": list(found.skipped), "blind": list(found.blind),
            "disagreements": [
                {"number": d.number, "transcript": d.transcript, "start": d.start, "end": d.end,
                 "speaker": d.speaker, "text": d.text, "codes": {c: list(n) for c, n in d.codes},
                 "settled": d.settled}
                for d in found.items
            ],
        })
        return 0
    if not found.items:
        out(t("agreement.cli.none", coders=_names(found.coders), units=found.units))
        return 0
    out(t("agreement.cli.count", n=len(found.items), units=found.units,
          coders=_names(found.coders)))
    for item in found.items:
        for text in disagreement_lines(item):
            out(text)
    return 0


# -- consensus -------------------------------------------------------------------------------


def cmd_consensus(args: argparse.Namespace) -> int:
    coders = coders_of(args)
    with open_project(args) as wb:
        service = wb.agreement
        if args.agreed:
            n = service.take_agreed(coders, args.unit, args.transcript, args.code)
            out(t("agreement.cli.agreed_now", n=n, coders=_names(coders)))
            return 0
        if args.number is None or args.take is None:
            raise UserError("agreement.error.consensus_usage")
        found = service.disagreements(coders, args.unit, args.transcript, args.code)
        if not 1 <= args.number <= len(found.items):
            raise UserError("agreement.error.no_disagreement", n=args.number,
                            total=len(found.items))
        item = found.items[args.number - 1]
        codes = service.settle(item, args.take)
    out(t("agreement.cli.settled_now", n=item.number, text=item.excerpt,
          codes=", ".join(codes) if codes else t("agreement.cli.nothing")))
    return 0


__all__ = ["add_parsers", "cmd_agreement", "cmd_consensus", "cmd_disagreements",
           "disagreement_lines", "report_lines"]
