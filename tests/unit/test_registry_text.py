"""Registry text is cleaned once, when a study is mapped from API v2: no escape sequences,
control characters, bidi overrides or invisible format characters reach the library; a field
with nothing visible is absent; legitimate text (Greek letters, ≥, CJK, Hebrew, Arabic, line
breaks in long descriptions) is kept. Studies come from the loopback fake registry through the
real client; the stored record keeps what the registry sent."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from tests.fakes.hostile_text import CLEAN_TITLE, HIDDEN, HOSTILE_ID, hostile_study
from tests.fakes.studies import make_study
from tracker.ctgov.search import fetch_found_page
from tracker.domain import InvalidTrialIdError, parse_nct_id, parse_trial_id
from tracker.domain.registry_text import clean_block, clean_line

#: Cf characters that are kept: the joiners (handled by position) and the number marks that
#: print (Arabic, Syriac, Kaithi prepended concatenation marks).
KEPT_FORMAT = {0x200C, 0x200D, *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891,
               0x08E2, 0x110BD, 0x110CD}


def test_every_invisible_format_character_is_dropped_but_the_ones_that_print_or_join():
    left = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
            if unicodedata.category(chr(code)) == "Cf" and code not in KEPT_FORMAT
            and clean_line(f"a{chr(code)}b") != "ab"]
    assert left == []
    assert clean_line("\u0600\u0661\u0662") == "\u0600\u0661\u0662"  # an Arabic number sign


@pytest.mark.parametrize("hostile,clean", [
    ("\x1b[31mRED\x1b[0m text", "RED text"),                       # CSI colour
    ("a\x9b2Jb", "ab"),                                            # one-byte C1 CSI
    ("x\x1b]0;new window title\x07y", "xy"),                       # OSC ended by BEL
    ("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
    ("keep\x1b]this text", "keepthis text"),                       # unterminated: text stays
    ("a\x1b(Bb\x1b7c", "abc"),                                     # charset and save cursor
    ("tab\there\r\nnew\x0bline\x85end\u2028x", "tab here new line end x"),
    ("a\x00b\x07c\x7fd\x90e", "abcde"),                            # C0, DEL, C1
    ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069bidi", "bidi"),
    ("zero\u200bwidth\u2060joiner\ufeff\u00adsoft\u200e\u200f", "zerowidthjoinersoft"),
    ("Latin\u200dand\u200c ascii", "Latinand ascii"),              # joiners between ASCII
    ("  many   spaces\t\tand tabs  ", "many spaces and tabs"),
    ("  plain  ASCII   title ", "plain ASCII title"),
    ("\u00a0\u2003wide\u3000spaces\u00a0 ", "wide spaces"),
    ("10\u00a0mg", "10\u00a0mg"),                                  # one no-break space kept
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
])
def test_one_line_fields_lose_what_is_not_text(hostile, clean):
    assert clean_line(hostile) == clean


@pytest.mark.parametrize("text", [
    "Anti-κ/λ light chain, ≥ 2 prior lines ± dexamethasone (α-CD38, β2-microglobulin)",
    "Hôpital Saint-Louis, Uniklinik Köln, Ñuñoa, Ålesund",
    "多发性骨髓瘤 CAR-T 细胞治疗 / 多発性骨髄腫 / 다발골수종",
    "מיאלומה נפוצה", "الورم النقوي المتعدد", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467 family, \u2764\ufe0f",
])
def test_legitimate_text_is_kept_as_it_is(text):
    assert clean_line(text) == text


def test_long_descriptions_keep_their_line_breaks():
    summary = "Aims:\r\n\r\n  * CR rate ≥ 40%\x1b[2J\r\n  * MRD\u200b negativity  \r\n\r\n\r\n\r\nEnd"
    assert clean_block(summary) == "Aims:\n\n  * CR rate ≥ 40%\n  * MRD negativity  \n\n\n\nEnd"
    assert clean_block("\u200b\n \x1b[0m\n") is None


def _hostile_fields_study():
    study = hostile_study()
    protocol = study["protocolSection"]
    protocol["identificationModule"]["officialTitle"] = "An\tOpen-label\nStudy \u2066of\u2069 κ"
    protocol["descriptionModule"]["briefSummary"] = "Line one\x1b[1m\r\nLine two \u00ad≥ 18"
    protocol["conditionsModule"]["conditions"] = ["\u200b", "Multiple\u200f  Myeloma\x1b[0m"]
    protocol["armsInterventionsModule"]["interventions"][0]["name"] = "\ufeffBCMA\u202e CAR-T"
    protocol["statusModule"]["whyStopped"] = "\x9b31mFunding\x1b]0;x\x07 withdrawn"
    protocol["designModule"]["enrollmentInfo"]["type"] = "\u200bESTIMATED"
    return study


def test_mapping_cleans_every_text_field_and_keeps_the_record_as_received(ctgov_server,
                                                                         ctgov_client):
    ctgov_server.put_study(_hostile_fields_study())
    record = ctgov_client.get_study(HOSTILE_ID)
    assert record.acronym is None  # only U+200F: absent, so the title is shown
    assert record.sponsor is None  # only U+200B: absent, "not stated" where shown
    assert record.brief_title == CLEAN_TITLE
    assert record.official_title == "An Open-label Study of κ"
    assert record.brief_summary == "Line one\nLine two ≥ 18"
    assert record.conditions == ("Multiple Myeloma",)
    assert record.interventions[0] == "BCMA CAR-T"
    assert record.why_stopped == "Funding withdrawn"
    assert record.enrollment_kind == "ESTIMATED"
    ident = record.raw["protocolSection"]["identificationModule"]
    assert ident["acronym"] == "\u200f" and ident["briefTitle"].startswith("\u202e")


def test_mapping_keeps_legitimate_text(ctgov_server, ctgov_client):
    title = "Anti-κ/λ CAR-T ≥ 2 lines ± dex — 多发性骨髓瘤 — מיאלומה נפוצה — الورم النقوي"
    summary = "Hôpital Saint-Louis:\n\n  * β2-microglobulin ≥ 3.5 mg/L\n  * α-CD38 refractory"
    study = make_study("NCT06900005", title=title, acronym="KarMMa-κ", sponsor="Celgene",
                       summary=summary, conditions=("Myélome multiple",))
    ctgov_server.put_study(study)
    record = ctgov_client.get_study("NCT06900005")
    assert (record.brief_title, record.acronym, record.sponsor) == (title, "KarMMa-κ", "Celgene")
    assert record.brief_summary == summary and record.conditions == ("Myélome multiple",)


def test_a_sync_page_is_cleaned_like_a_single_lookup(ctgov_server, ctgov_client):
    ctgov_server.put_studies([hostile_study(), make_study("NCT06900004", title="κ ≥ 2\u200b")])
    result = ctgov_client.fetch_records([HOSTILE_ID, "NCT06900004"], full=True)
    records = {r.nct_id: r for batch in result for r in batch.records}
    assert records[HOSTILE_ID].brief_title == CLEAN_TITLE
    assert records["NCT06900004"].brief_title == "κ ≥ 2"


def test_the_inbox_search_path_cleans_records_and_site_names(ctgov_server, ctgov_client):
    study = hostile_study()
    study["protocolSection"]["contactsLocationsModule"] = {"locations": [
        {"facility": "\u202eCharité\u200b\x1b[5m", "city": "Berlin\u200f", "country": "\u200b",
         "status": "RECRUITING", "geoPoint": {"lat": 52.52, "lon": 13.40}}]}
    ctgov_server.put_study(study)
    from tracker.ctgov.search import search_params
    from tracker.domain.searches import SearchCriteria

    page = fetch_found_page(ctgov_client, search_params(SearchCriteria(term="BCMA"), None),
                            None, None)
    [found] = page.studies
    assert found.record.brief_title == CLEAN_TITLE and found.record.sponsor is None
    site = found.sites[0]
    assert (site.facility, site.city, site.country) == ("Charité", "Berlin", "")


# -- ids typed or pasted with an invisible character --------------------------------------------
def test_an_id_pasted_with_a_zero_width_space_is_accepted():
    assert parse_nct_id("NCT0336\u200b1748") == "NCT03361748"
    assert parse_trial_id("\ufeffnct03361748\u200e") == "NCT03361748"
    assert parse_trial_id("local-venaza\u00ad-china-rw") == "LOCAL-VENAZA-CHINA-RW"


def test_a_refused_id_shows_its_hidden_characters():
    with pytest.raises(InvalidTrialIdError) as caught:
        parse_nct_id("NCT0336\x1b1748")
    message = str(caught.value)
    assert message.startswith("not an NCT id: NCT0336<U+001B>1748 (expected NCT followed by")
    assert "type the id instead of pasting it" in message
    with pytest.raises(InvalidTrialIdError, match=r"NCT0336<U\+200B>174 "):
        parse_nct_id("NCT0336\u200b174")  # 7 digits: still refused, the space shown


def test_the_command_line_takes_an_id_with_a_zero_width_space(tmp_path):
    env_free = [sys.executable, "-m", "tracker", "--data-dir", str(tmp_path / "d")]
    shown = subprocess.run([*env_free, "show", "NCT0299\u200b3523"], capture_output=True,
                           timeout=120, encoding="utf-8", check=False)
    assert shown.returncode == 0 and shown.stdout.startswith("NCT02993523  VIALE-A")
    refused = subprocess.run([*env_free, "show", "NCT0336\x1b1748"], capture_output=True,
                             timeout=120, encoding="utf-8", check=False)
    assert refused.returncode == 2
    assert "not an NCT id: NCT0336<U+001B>1748" in refused.stderr
    assert not set(refused.stderr) & set(HIDDEN)
