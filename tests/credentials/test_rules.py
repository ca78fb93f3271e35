from __future__ import annotations

import re

import pytest

from attesta.credentials import rules


def test_a_new_code_is_twelve_unambiguous_characters_in_three_groups():
    codes = {rules.new_code() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(
            r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code
        )
        assert rules.normalise_code(code) == code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7KQ2-M9XD-4TNB", "7KQ2-M9XD-4TNB"),
        ("7kq2 m9xd 4tnb", "7KQ2-M9XD-4TNB"),
        ("  7KQ2M9XD4TNB ", "7KQ2-M9XD-4TNB"),
        ("7KQ2-M9XD-4TNO", "7KQ2-M9XD-4TN0"),  # O read as zero
        ("IKQ2-M9XD-4TNL", "1KQ2-M9XD-4TN1"),  # I and L read as one
        ("7KQ2-M9XD-4TN", None),  # too short
        ("7KQ2-M9XD-4TNBB", None),  # too long
        ("7KQ2-M9XD-4TNU", None),  # U is not in the alphabet
        ("7KQ2-M9XD-4TN!", None),
        ("", None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(typed, expected):
    assert rules.normalise_code(typed) == expected


def test_the_fingerprint_ignores_key_order_but_not_kind_nor_content():
    a = rules.fingerprint("attestation", {"holder": "Alex Martin", "blocks": ["CCP1"]})
    b = rules.fingerprint("attestation", {"blocks": ["CCP1"], "holder": "Alex Martin"})

    assert a == b
    assert rules.fingerprint("certificate", {"holder": "Alex Martin", "blocks": ["CCP1"]}) != a
    assert rules.fingerprint("attestation", {"holder": "Alex Martin", "blocks": []}) != a
    namesake = rules.fingerprint(
        "attestation", {"holder": "Alex Martin", "blocks": ["CCP1"]}, {"seat": 2}
    )
    assert namesake != rules.fingerprint(
        "attestation", {"holder": "Alex Martin", "blocks": ["CCP1"]}, {"seat": 3}
    )


def _content(kind="titre_professionnel", attendance="present", obtained=True, blocks=True):
    return {
        "certification": {"kind": kind},
        "candidates": [
            {
                "seat_id": 7,
                "attendance": attendance,
                "certification_obtained": obtained,
                "blocks": [{"code": "CCP1", "obtained": blocks, "source": "session"}],
            }
        ],
    }


@pytest.mark.parametrize(
    ("content", "seat_id", "expected"),
    [
        (_content(), 7, ["attestation", "results_summary"]),
        (_content(blocks=False, obtained=False), 7, ["results_summary"]),
        (_content(attendance="absent", blocks=False, obtained=False), 7, []),
        (_content(kind="certifier"), 7, ["attestation", "certificate"]),
        (_content(kind="certifier", obtained=False), 7, ["attestation"]),
        (_content(), 8, []),
    ],
)
def test_the_result_documents_a_signed_minutes_content_supports(content, seat_id, expected):
    assert rules.available_result_kinds(content, seat_id) == expected


@pytest.mark.parametrize(
    ("source", "earlier", "expected"),
    [
        ("session", {}, "obtenu à la session « CC – janvier 2027 »"),
        ("correspondence", {}, "acquis par correspondance avec la version précédente"),
        ("capitalised", {}, "acquis antérieurement"),
    ],
)
def test_the_origin_of_a_block(source, earlier, expected):
    block = {"code": "CCP1", "title": "Préparer", "source": source}

    assert rules.block_origin(block, "CC – janvier 2027", earlier).startswith(expected)


def test_a_capitalised_block_names_its_source_and_date():
    import datetime as dt

    block = {"code": "CCP1", "title": "Préparer", "source": "capitalised", "extension": True}
    origin = rules.block_origin(block, "x", {"CCP1": ("AFPA Lyon", dt.date(2025, 6, 3))})

    assert origin == "acquis antérieurement (AFPA Lyon, le 03/06/2025)"
    assert rules.block_line(block, origin).startswith("CCP1 – Préparer (bloc d'extension) : ")
