"""``workbench themes | phase | journal | snapshot | diff``, through ``main(argv)`` in this
process."""

from __future__ import annotations

import json
from workbench.services import Workbench

from tests.conftest import CliRunner
from tests.themes_fixtures import build_study


def test_theme_commands(project_target: str, cli: CliRunner):
    path = project_target
    with Workbench.create(path, title="Studie") as wb:
        c = build_study(wb).codes
        top = wb.themes.create("Tiden som ramme", code_ids=[c["tid til relasjon"]],
                               definition="Om tid.")
        wb.themes.create("Kveldene", parent_id=top.id, code_ids=[c["personavhengig"]])
        wb.snapshots.create("v1")
    p = str(path)

    out = cli("themes", p)
    assert out.returncode == 0, out.stderr
    assert "1. Tiden som ramme  [kandidat]" in out.stdout
    assert "1.1. Kveldene  [kandidat]  ⚠ tynt" in out.stdout
    assert "3 utdrag · 2 informanter · 2 grupper" in out.stdout
    assert "│ Om tid." in out.stdout
    code, text, _ = cli("themes", p, "--json")
    (theme,) = json.loads(text)["themes"]
    assert (theme["extracts"], theme["informants"], theme["groups"]) == (3, 2, 2)
    assert theme["subthemes"][0]["codes"][0]["name"] == "personavhengig"

    assert cli("phase", p, "3")[0] == 0
    code, _, err = cli("phase", p, "2")
    assert code == 2 and "begrunnelse" in err
    code, text, _ = cli("phase", p, "2", "--reason", "Leser på nytt")
    assert code == 0 and "Leser på nytt" in text
    code, text, _ = cli("phase", p, "--checklist")
    assert "Fase 2: Koding av teksten" in text and "(2)" in text and "3 → 2" in text
    data = json.loads(cli("phase", p, "--json", "--checklist")[1])
    assert data["phase"] == 2 and data["checklist"][0]["key"] == "checklist.item.coverage"

    assert cli("journal", p, "Et notat om håp.")[0] == 0
    assert "Et notat om håp." in cli("journal", p)[1]

    with Workbench.open(path) as wb:
        wb.themes.rename(top.id, "Tiden som ramme for medvirkning")
    assert cli("snapshot", p, "v2")[0] == 0
    assert "v2" in cli("snapshot", p)[1]
    code, text, err = cli("diff", p, "v1", "v2")
    assert code == 0, err
    assert "«Tiden som ramme» → «Tiden som ramme for medvirkning»" in text
    data = json.loads(cli("diff", p, "v1", "--json")[1])
    assert [x["new"] for x in data["renamed"]] == ["Tiden som ramme for medvirkning"]
    code, _, err = cli("diff", p, "finnes-ikke")
    assert code == 2 and "v1, v2" in err
