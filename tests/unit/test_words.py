"""Names and counts in messages: one rule for every list of names and every named trial."""

from tracker.domain.words import listed, named_trial


def test_listed_names_at_most_the_given_number_and_counts_the_rest():
    assert listed([]) == ""
    assert listed(["NCT01"]) == "NCT01"
    assert listed(["NCT01", "NCT02"]) == "NCT01 and NCT02"
    assert listed(["NCT01", "NCT02", "NCT03"]) == "NCT01, NCT02 and NCT03"
    assert listed(["NCT01", "NCT02", "NCT03", "NCT04", "NCT05"]) == (
        "NCT01, NCT02, NCT03 and 2 more")
    assert listed(["a", "b", "c", "d", "e", "f"], 5) == "a, b, c, d, e and 1 more"


def test_a_named_trial_reads_title_then_id_and_never_repeats_the_id():
    assert named_trial("NCT02242942", "CLL14") == "CLL14 (NCT02242942)"
    assert named_trial("NCT02242942", "") == "NCT02242942"
    assert named_trial("NCT02242942", None) == "NCT02242942"
    assert named_trial("NCT02242942", "NCT02242942") == "NCT02242942"


def test_the_sites_summary_agrees_in_number():
    from tracker.domain.record import RecordDetails, Site
    from tracker.ui.detail_sections import sites_summary

    one = RecordDetails(sites=(Site(facility="Charité", city="Berlin", country="Germany",
                                    status="RECRUITING"),))
    assert sites_summary(one) == "1 site in 1 country, 1 recruiting"
