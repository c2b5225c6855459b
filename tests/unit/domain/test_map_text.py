"""The thematic map as a box-drawing diagram (workbench.domain.map_text)."""

from __future__ import annotations

import pytest

from workbench.domain.codebook import PALETTE, tint
from workbench.domain.map_text import (
    CARD_MAX,
    MapNode,
    diagram,
    main_colours,
    plain,
    readable_on,
)

MAIN_NAMES = [
    "Ildsjeler bærer satsingen", "Tid og rom for samarbeid", "Ledelse på tvers",
    "Ungdommenes stemme", "Foreldre som ressurs", "Kompetanse i laget",
    "Økonomi og rammer", "Å bli sett",
]


def eight_by_six(codes: bool = False) -> list[MapNode]:
    return [
        MapNode(
            main,
            codes=(f"Kode på {main.lower()}",) if codes else (),
            children=tuple(
                MapNode(f"{main}: undertema {j + 1} om miljøterapeutenes hverdag",
                        codes=(f"Kode {i}.{j}.a", f"Kode {i}.{j}.b med langt navn"))
                for j in range(6)
            ),
        )
        for i, main in enumerate(MAIN_NAMES)
    ]


def text_of(lines) -> str:
    return "\n".join(plain(line) for line in lines)


@pytest.mark.parametrize("width", [40, 78, 80, 120, 198, 200, 250])
@pytest.mark.parametrize("codes", [False, True])
def test_eight_by_six_fits_the_width_and_names_every_theme(width: int, codes: bool) -> None:
    themes = eight_by_six()
    lines = diagram(themes, width, codes=codes)
    assert lines
    assert max(len(plain(line)) for line in lines) <= width
    # Every name is there, whole (unwrapped text joined), and every code when asked for.
    flat = " ".join(" ".join(plain(line).replace("│", " ").replace("┃", " ").split())
                    for line in lines)
    words = flat.split()
    for theme in themes:
        for name in [theme.name, *(c.name for c in theme.children)]:
            assert all(word in words for word in name.split()), name
    code_text = "Kode 7.5.b med langt navn"
    assert (code_text.split()[1] in words) == codes
    # Box characters: a heavy box per main theme, a light box per sub-theme.
    assert text_of(lines).count("┏") == 8
    assert text_of(lines).count("╭") == 48
    assert text_of(lines).count("┯") == 8  # the trunk leaves each main box
    assert text_of(lines).count("└") == 8  # and ends at each last sub-theme
    assert text_of(lines).count("├") == 8 * 5


def test_each_sub_theme_name_is_inside_its_own_box_under_its_main_theme() -> None:
    themes = [MapNode("Hoved", children=(MapNode("Første under"), MapNode("Andre under")))]
    lines = [plain(line) for line in diagram(themes, 40)]
    assert lines[0].startswith("┏") and lines[0].endswith("┓")
    assert lines[1].startswith("┃ Hoved")
    assert lines[2].startswith("┗┯")
    assert lines[3] == " │  ╭" + "─" * 34 + "╮"
    assert lines[4].startswith(" ├──┤ Første under")
    assert lines[4].endswith("│")
    assert lines[6] == " │  ╭" + "─" * 34 + "╮"
    assert lines[7].startswith(" └──┤ Andre under")
    assert lines[8] == "    ╰" + "─" * 34 + "╯"
    assert len(lines) == 9


@pytest.mark.parametrize("codes", [False, True])
def test_every_line_of_a_card_is_as_wide_as_the_card(codes: bool) -> None:
    """So the cards of a row stay in their columns."""
    theme = eight_by_six(codes=True)[0]
    for width in (30, 40, 48):
        lines = [plain(line) for line in diagram([theme], width, codes=codes)]
        assert {len(line) for line in lines} == {width}, width
    lines = [plain(line) for line in diagram(eight_by_six(), 200)]
    starts = {i for line in lines for i, ch in enumerate(line) if ch in "┏┗"}
    assert starts == {0, 50, 100, 150}


def test_codes_are_optional_and_listed_in_their_own_sub_theme() -> None:
    themes = [MapNode("Hoved", codes=("Egen kode",),
                      children=(MapNode("Under A", codes=("Kode A",)),
                                MapNode("Under B", codes=("Kode B",))))]
    without = [plain(line) for line in diagram(themes, 40)]
    assert not any("•" in line for line in without)
    lines = [plain(line) for line in diagram(themes, 40, codes=True)]
    assert any(line.startswith("┃ • Egen kode") for line in lines)
    a = next(i for i, line in enumerate(lines) if "Under A" in line)
    b = next(i for i, line in enumerate(lines) if "Under B" in line)
    code_a = next(i for i, line in enumerate(lines) if "• Kode A" in line)
    code_b = next(i for i, line in enumerate(lines) if "• Kode B" in line)
    assert a < code_a < b < code_b


def test_deeper_sub_themes_follow_their_parent_marked() -> None:
    themes = [MapNode("Hoved", children=(MapNode("Under", children=(MapNode("Dypere"),)),
                                         MapNode("Neste")))]
    lines = [plain(line) for line in diagram(themes, 40)]
    order = [next(i for i, line in enumerate(lines) if word in line)
             for word in ("Under", "↳ Dypere", "Neste")]
    assert order == sorted(order)


def test_a_word_longer_than_a_box_is_broken_not_overflowing() -> None:
    long = "Miljøterapeutenes" * 4
    lines = diagram([MapNode(long, children=(MapNode(long),))], 30)
    assert max(len(plain(line)) for line in lines) <= 30
    assert "".join(plain(line).strip("┃│ ├┤─") for line in lines).count("Miljø") >= 8


def test_columns_follow_the_width_and_cards_stop_at_a_readable_width() -> None:
    themes = eight_by_six()
    narrow = [plain(line) for line in diagram(themes, 80)]
    assert narrow[0].count("┏") == 2  # two cards across at 80 columns
    wide = [plain(line) for line in diagram(themes, 250)]
    assert wide[0].count("┏") == 4  # at most four across
    first_card = wide[0].split("  ")[0]
    assert len(first_card) == CARD_MAX
    one = [plain(line) for line in diagram(themes, 40)]
    assert one[0].count("┏") == 1
    assert diagram([], 80) == []


def test_styles_use_the_theme_colours() -> None:
    red = "#e15759"
    lines = diagram([MapNode("Hoved", children=(MapNode("Under"),), colour=red),
                     MapNode("Uten farge")], 80)
    segments = [s for line in lines for s in line]
    name = next(s for s in segments if "Hoved" in s.text)
    assert name.bg == red and name.fg == readable_on(red) and name.bold
    sub = next(s for s in segments if "Under" in s.text)
    assert sub.bg == tint(red, 0.8)
    border = next(s for s in segments if s.text.startswith("┏"))
    assert border.fg == red
    second = next(s for s in segments if "Uten farge" in s.text)
    assert second.bg == PALETTE[0]  # the palette's first free colour


def test_main_colours_are_distinct() -> None:
    assert main_colours(["#E15759", "#e15759", ""]) == ["#e15759", PALETTE[0], PALETTE[1]]
    assert readable_on("#ffffff") == "#000000"
    assert readable_on("#000000") == "#ffffff"
