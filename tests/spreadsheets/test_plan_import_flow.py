import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions.models import Action, Plan
from kpis.models import KPI, KPIValue
from spreadsheets.models import StagedUpload
from spreadsheets.plan_imports import plan_import_confirm, plan_import_stage
from spreadsheets.plan_preview import word_diff
from tests.conftest import PLAN_WORKBOOK, run_tasks
from tests.factories import KPIValueFactory, ProgressUpdateFactory, TermFactory, UserFactory
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db


def plan_without(*codes: str, reword: dict | None = None) -> bytes:
    """The real plan's rows, less some actions, with some KPI wording changed."""
    sheet = load_workbook(PLAN_WORKBOOK, read_only=True)["Delivery plan"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = list(rows[0]), [list(r) for r in rows[1:] if r[5] not in codes]
    for row in body:
        row[10] = (reword or {}).get((row[5], row[9]), row[10])
    return workbook_bytes(body, header)


def stage(data: bytes, user=None) -> StagedUpload:
    """Upload the file and let the worker check it."""
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="eis"), data=data, name="plan.xlsx", user=user
    )
    run_tasks()
    staged.refresh_from_db()
    return staged


def confirm(staged: StagedUpload, user=None) -> StagedUpload:
    """Confirm the previewed import and let the worker apply it."""
    assert plan_import_confirm(staged=staged, user=user)
    run_tasks()
    staged.refresh_from_db()
    return staged


@pytest.fixture
def imported(plan):
    return Action.objects.get(code="1.1(a)")


def test_word_diff_marks_removed_and_added_words():
    assert word_diff(
        "% of staff agreeing they feel confident", "% of staff who feel confident"
    ) == [
        ("=", "% of staff"),
        ("-", "agreeing they"),
        ("+", "who"),
        ("=", "feel confident"),
    ]


def test_the_preview_writes_nothing_and_counts_everything(db):
    staged = stage(PLAN_WORKBOOK.read_bytes())
    assert staged.preview["counts"] == {"actions created": 95, "KPIs created": 541}
    assert not Action.objects.exists()
    assert staged.applied_at is None and staged.checksum and staged.layout == "template"
    assert staged.state == "ready"


def test_confirming_applies_exactly_the_preview_and_records_it(db, admin_user):
    staged = confirm(stage(PLAN_WORKBOOK.read_bytes(), admin_user), admin_user)
    assert (Action.objects.count(), KPI.objects.count()) == (95, 541)
    assert staged.state == "applied" and staged.applied_by == admin_user
    assert staged.applied_at is not None
    assert staged.counts["actions created"] == 95 and staged.counts["KPIs created"] == 541
    assert staged.content is None  # the file is not kept once applied


def test_changed_wording_is_shown_word_by_word_and_values_stay_attached(imported):
    kpi = imported.kpis.get(ref="ii")
    value = KPIValueFactory(kpi=kpi, term=TermFactory())
    new_text = "% staff who feel confident to identify and challenge discriminatory behaviour"
    staged = stage(plan_without(reword={("1.1(a)", "ii"): new_text}))
    entry = next(
        a for c in staged.preview["commitments"] for a in c["actions"] if a["code"] == "1.1(a)"
    )
    change = next(k for k in entry["kpis"] if k["ref"] == "ii")["changes"][0]
    assert change["field"] == "KPI" and ("+", "who") in [tuple(p) for p in change["diff"]]
    confirm(staged)
    kpi.refresh_from_db()
    assert kpi.text == new_text and KPIValue.objects.get(pk=value.pk).kpi == kpi


def test_missing_actions_are_retired_if_anything_was_recorded_else_deleted(imported):
    ProgressUpdateFactory(action=imported, term=TermFactory())
    staged = stage(plan_without("1.1(a)", "1.1(b)"))
    states = {a["code"]: a["state"] for c in staged.preview["commitments"] for a in c["actions"]}
    assert (states["1.1(a)"], states["1.1(b)"]) == ("retired", "deleted")
    assert staged.preview["counts"]["actions retired"] == 1
    confirm(staged)
    imported.refresh_from_db()
    assert imported.is_retired and imported.updates.count() == 1
    assert not imported.kpis.filter(retired_at__isnull=True).exists()
    assert not Action.objects.filter(code="1.1(b)").exists()


def test_a_retired_action_is_shown_as_retired_and_left_out_of_lists(client, imported):
    KPIValueFactory(kpi=imported.kpis.first(), term=TermFactory())
    confirm(stage(plan_without("1.1(a)")))
    client.force_login(UserFactory(role="Board member"))
    assert (
        "was retired from the plan"
        in client.get(reverse("kpis:action", args=[imported.pk])).content.decode()
    )
    assert ">1.1(a)<" not in client.get(reverse("actions:list"), {"q": "1.1(a)"}).content.decode()


def test_a_retired_action_that_comes_back_is_restored(imported):
    ProgressUpdateFactory(action=imported, term=TermFactory())
    confirm(stage(plan_without("1.1(a)")))
    staged = stage(PLAN_WORKBOOK.read_bytes())
    entry = next(
        a for c in staged.preview["commitments"] for a in c["actions"] if a["code"] == "1.1(a)"
    )
    assert entry["state"] == "changed" and entry["changes"][0]["field"] == "Retired"
    confirm(staged)
    imported.refresh_from_db()
    assert not imported.is_retired
    assert not imported.kpis.filter(retired_at__isnull=False).exists()


def test_a_missing_kpi_with_values_is_retired_and_one_without_is_deleted(imported):
    sheet = load_workbook(PLAN_WORKBOOK, read_only=True)["Delivery plan"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    keep = [r for r in rows[1:] if not (r[5] == "1.1(b)" and r[9] in ("iii", "iv"))]
    action = Action.objects.get(code="1.1(b)")
    KPIValueFactory(kpi=action.kpis.get(ref="iii"), term=TermFactory())
    confirm(stage(workbook_bytes(keep, rows[0])))
    assert action.kpis.get(ref="iii").retired_at is not None
    assert not action.kpis.filter(ref="iv").exists()


def test_a_confirm_after_the_plan_changed_applies_nothing(imported):
    staged = stage(plan_without("1.1(b)"))
    Action.objects.filter(code="1.1(c)").update(text="Edited in the admin meanwhile")
    staged = confirm(staged)
    assert Action.objects.filter(code="1.1(b)").exists()
    assert staged.state == "failed" and staged.applied_at is None
    assert staged.error.startswith("The plan changed after this preview was made")
    assert staged.content is not None  # kept, so it can be checked again


def test_a_formula_is_kept_as_text_with_a_warning(db):
    data = workbook_bytes(
        [[1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", "i", "=SUM(A1:A3)"]]
    )
    staged = stage(data)
    confirm(staged)
    assert KPI.objects.get().text == "'=SUM(A1:A3)"
    assert 'row 2, column "KPI": a formula was kept as text' in staged.warnings[0]


def test_too_many_rows_are_refused(db, settings):
    settings.PLAN_IMPORT_MAX_ROWS = 10
    staged = stage(PLAN_WORKBOOK.read_bytes())
    assert staged.state == "refused" and staged.content is None
    limit = "has more than 10 rows below its header row, the most a sheet may have"
    assert any(limit in p for p in staged.problems)


def test_a_sheet_of_exactly_the_row_limit_imports(db, settings):
    """The limit counts KPI rows, as a person counts them: the header row is not one."""
    rows = [
        [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", ref, f"KPI {ref}"]
        for ref in ("i", "ii", "iii")
    ]
    settings.PLAN_IMPORT_MAX_ROWS = 3
    assert stage(workbook_bytes(rows)).state == "ready"
    settings.PLAN_IMPORT_MAX_ROWS = 2
    assert stage(workbook_bytes(rows)).state == "refused"


def test_the_command_prints_the_same_preview(imported, tmp_path: Path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_without("1.1(b)"))
    out = io.StringIO()
    call_command("import_plan", str(path), "--plan", "eis", "--dry-run", stdout=out)
    assert "1.1(b): deleted" in out.getvalue() and "Dry run" in out.getvalue()
    assert Action.objects.filter(code="1.1(b)").exists()
    call_command("import_plan", str(path), "--plan", "eis", stdout=io.StringIO())
    latest = StagedUpload.objects.filter(kind="plan").latest("uploaded_at")
    assert (latest.file_name, latest.applied_by) == ("plan.xlsx", None)
    assert latest.applied_at is not None and not Action.objects.filter(code="1.1(b)").exists()
    assert latest.state == "applied" and latest.content is None


# The pages


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_only_admins_can_import(client, db):
    urls = [reverse("spreadsheets:plan_import_start"), reverse("spreadsheets:plan_import_template")]
    for url in urls:
        assert client.get(url).status_code == 302
    for role in ("Officer", "Board member"):
        client.force_login(UserFactory(role=role))
        for url in urls:
            assert client.get(url).status_code == 403
        staged = stage(PLAN_WORKBOOK.read_bytes())
        assert (
            client.post(reverse("spreadsheets:plan_import_confirm", args=[staged.pk])).status_code
            == 403
        )
        assert (
            client.get(reverse("spreadsheets:plan_import_preview", args=[staged.pk])).status_code
            == 403
        )
    assert not Action.objects.exists()


REFRESH = '<meta http-equiv="refresh" content="3">'


def test_upload_preview_and_confirm_in_the_browser_facing_views(admin_client):
    upload = io.BytesIO(PLAN_WORKBOOK.read_bytes())
    upload.name = "delivery_plan.xlsx"
    response = admin_client.post(
        reverse("spreadsheets:plan_import_start"), {"plan": "eis", "file": upload}
    )
    staged = StagedUpload.objects.get()
    assert response["Location"] == reverse("spreadsheets:plan_import_preview", args=[staged.pk])
    assert staged.state == "received" and staged.preview == {}  # nothing read in the request
    page = admin_client.get(response["Location"]).content.decode()
    assert "We are checking your file" in page and REFRESH in page and "Check again" in page
    assert run_tasks() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "Actions: 95 created" in page and "Confirm and import" in page
    assert "5. SUFFICIENT &amp; SUSTAINABLE" in page and REFRESH not in page
    assert not Action.objects.exists()
    response = admin_client.post(reverse("spreadsheets:plan_import_confirm", args=[staged.pk]))
    assert response.status_code == 302 and not Action.objects.exists()  # queued, not applied
    page = admin_client.get(response["Location"]).content.decode()
    assert "Saving the changes" in page and REFRESH in page
    again = admin_client.post(reverse("spreadsheets:plan_import_confirm", args=[staged.pk]))
    assert again.status_code == 302
    assert run_tasks() == 1  # confirming twice queued one apply
    assert Action.objects.count() == 95
    page = admin_client.get(response["Location"]).content.decode()
    assert "delivery_plan.xlsx was imported." in page and "Imported" in page
    assert "Confirm and import" not in page and REFRESH not in page


def test_a_bad_upload_is_refused_with_its_reasons_and_the_file_not_kept(admin_client):
    upload = io.BytesIO(b"Commitment,Action\n1,Do things\n")
    upload.name = "plan.xlsx"
    response = admin_client.post(
        reverse("spreadsheets:plan_import_start"), {"plan": "eis", "file": upload}
    )
    run_tasks()
    staged = StagedUpload.objects.get()
    assert staged.state == "refused" and staged.content is None and staged.problems
    page = admin_client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page and "plan.xlsx" in page
    assert "looks like a CSV" in page and REFRESH not in page
    assert not Action.objects.exists()


def test_imports_made_on_the_command_line_are_listed(admin_client, plan):
    page = admin_client.get(reverse("spreadsheets:plan_import_start")).content.decode()
    assert "delivery_plan.xlsx" in page and "Command line" in page
    staged = StagedUpload.objects.get()
    assert (
        "the command line"
        in admin_client.get(
            reverse("spreadsheets:plan_import_preview", args=[staged.pk])
        ).content.decode()
    )


def test_no_file_chosen_is_an_error_linked_to_the_field(admin_client):
    response = admin_client.post(reverse("spreadsheets:plan_import_start"), {})
    assert response.status_code == 400
    assert 'href="#file">Select the plan workbook' in response.content.decode()


def test_the_template_download_has_notes_and_drop_down_lists(admin_client):
    response = admin_client.get(reverse("spreadsheets:plan_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Delivery plan", "Notes"]
    assert [c.value for c in book["Delivery plan"][1]][:2] == ["Commitment no", "Commitment"]
    assert len(book["Delivery plan"].data_validations.dataValidation) == 6


def test_the_preview_page_shows_only_what_changes_unless_asked(admin_client, imported):
    staged = stage(plan_without("1.1(b)"))
    url = reverse("spreadsheets:plan_import_preview", args=[staged.pk])
    page = admin_client.get(url).content.decode()
    assert "1.1(b)" in page and "Deleted" in page
    assert "2. SAFE" not in page and "1.1(c)" not in page
    everything = admin_client.get(url, {"unchanged": "1"}).content.decode()
    assert "2. SAFE" in everything and "1.1(c)" in everything


def test_a_large_preview_is_shown_a_page_at_a_time(admin_client, monkeypatch):
    """A plan at the row limit changes tens of thousands of actions: one page of them at a
    time, each under its commitment's heading, with GOV.UK pagination between pages."""
    monkeypatch.setattr("spreadsheets.views.PREVIEW_ACTIONS_PER_PAGE", 40)
    staged = stage(PLAN_WORKBOOK.read_bytes())  # 95 actions, all to be created
    url = reverse("spreadsheets:plan_import_preview", args=[staged.pk])
    first = admin_client.get(url).content.decode()
    assert first.count('<h3 class="govuk-heading-s') == 40
    assert '<nav class="govuk-pagination" aria-label="Pages of the changes">' in first
    assert 'href="?page=2"' in first and "1.1(a)" in first
    last = admin_client.get(url, {"page": 3}).content.decode()
    assert last.count('<h3 class="govuk-heading-s') == 15
    assert "5. SUFFICIENT &amp; SUSTAINABLE" in last and "1.1(a)" not in last
    assert "Confirm and import" in last  # whichever page is open, the whole file is confirmed


def test_the_plan_as_published_imports_to_the_same_plan_as_the_template(db, tmp_path):
    from fixtures.build_delivery_plan import SEED_PATH, parse_plan
    from tests.spreadsheets.test_plan_published import make_book, published_rows

    path = tmp_path / "pasted-from-word.xlsx"
    make_book(published_rows(parse_plan(SEED_PATH.read_text(encoding="utf-8")))).save(path)
    staged = stage(path.read_bytes())
    assert staged.layout == "published"
    assert staged.preview["counts"] == {"actions created": 95, "KPIs created": 541}
    confirm(staged)
    again = stage(PLAN_WORKBOOK.read_bytes())
    assert again.preview["counts"] == {"actions unchanged": 95, "KPIs unchanged": 541}


def test_codes_refs_and_codes_are_matched_after_normalising_text(db):
    row = [
        "1",
        "INCLUSIVE",
        "1",
        "All Settings",
        "\u00a01.1(a)\u200b",
        "Do it",
        "ＩＩ".lower(),
        "% safe",
    ]
    data = workbook_bytes(
        [row, ["１", "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", " i\u00a0", "% x"]]
    )
    confirm(stage(data))
    assert sorted(KPI.objects.values_list("action__code", "ref")) == [
        ("1.1(a)", "i"),
        ("1.1(a)", "ii"),
    ]


def test_a_gap_in_kpi_numbering_is_a_warning_with_sheet_and_row(db):
    rows = [
        [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", ref, f"KPI {ref}"]
        for ref in ("i", "ii", "iv")
    ]
    staged = stage(workbook_bytes(rows))
    warning = 'Sheet "Delivery plan", row 4: (iv) follows (ii) in 1.1(a): (iii) is missing.'
    assert warning in staged.warnings
    assert warning in staged.preview["warnings"]
    assert confirm(staged).state == "applied"
    assert sorted(KPI.objects.values_list("ref", flat=True)) == ["i", "ii", "iv"]


def published_plan(kpi_cells: list[str]) -> bytes:
    """The plan as published (the Word table pasted into Excel): one action, its KPI cell
    running over `kpi_cells`, one row each."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    rows = [["1. INCLUSIVE"], ["Every child belongs"], ["All Settings"]]
    rows += [[None, "Action", "Lead", "KPI / Milestone"], ["1.1(a)", "Do it", None, kpi_cells[0]]]
    rows += [[None, None, None, cell] for cell in kpi_cells[1:]]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_ref_twice_in_one_action_is_refused_in_either_layout(db):
    template = [
        [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", ref, f"KPI {n}"]
        for n, ref in enumerate(["i", "ii", "(i)"])
    ]
    published = published_plan(["Outcome: X\n(i) One\n(ii) Two", "(i) One again"])
    for data, where in [
        (workbook_bytes(template), 'Sheet "Delivery plan", row 4, column "KPI ref"'),
        (published, 'Sheet "Plan", row 6, column D'),
    ]:
        staged = stage(data)
        assert staged.state == "refused" and staged.content is None
        assert staged.problems[0].startswith(where)
        assert "(i) of 1.1(a) is already on row " in staged.problems[0]
    assert not KPI.objects.exists()


def test_a_gap_in_a_published_plan_imports_with_a_warning(db):
    staged = stage(published_plan(["Outcome: X\n(i) One\n(ii) Two", "(iv) Four"]))
    assert staged.warnings == [
        'Sheet "Plan", row 6: (iv) follows (ii) in 1.1(a): (iii) is missing.'
    ]
    assert confirm(staged).state == "applied"
    assert sorted(KPI.objects.values_list("ref", flat=True)) == ["i", "ii", "iv"]


def test_refs_in_any_row_order_are_no_gap(db):
    rows = [
        [1, "INCLUSIVE", 1, "All Settings", "1.1(a)", "Do it", ref, f"KPI {ref}"]
        for ref in ("i", "iii", "ii")
    ]
    assert stage(workbook_bytes(rows)).warnings == []


def test_the_upload_says_how_large_a_file_may_be(admin_client, settings):
    """It read 'An .xlsx file of up to MB.'"""
    settings.PLAN_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    page = admin_client.get(reverse("spreadsheets:plan_import_start")).content.decode()
    assert "An .xlsx file of up to 10 MB." in page
