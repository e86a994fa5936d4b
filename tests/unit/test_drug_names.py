"""Drug names as readers expect them: generic names lower-case, code names and targets upper."""

from tracker.domain.drug_names import drug_label


def test_generic_names_stay_lower_case_and_codes_targets_and_classes_are_upper_case():
    assert drug_label("venetoclax") == "venetoclax"
    assert drug_label("gemtuzumab ozogamicin") == "gemtuzumab ozogamicin"
    assert drug_label("cd19/cd22 car-t") == "CD19/CD22 CAR-T"
    assert drug_label("ucart19") == "UCART19"
    assert drug_label("pf-04518600") == "PF-04518600"
    assert drug_label("nkg2d car-t (cm-cs1)") == "NKG2D CAR-T (CM-CS1)"
    assert drug_label("amg 397") == "AMG 397"
    assert drug_label("cd19 car-nk cells") == "CD19 CAR-NK cells"
    assert drug_label("anti-bcma car-t cells") == "anti-BCMA CAR-T cells"  # inside a compound
    assert drug_label("bcma-directed car-t") == "BCMA-directed CAR-T"


def test_the_cli_detail_writes_a_code_name_upper_case(seeded_library):
    from tracker.cli.render import detail_text
    from tracker.services.details import load_details

    text = detail_text(load_details(seeded_library, "NCT02746952"))
    assert "Drugs:               UCART19" in text
