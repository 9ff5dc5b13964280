"""The five built-in instruments: their shape, scoring rule, sources and important changes.

Only numbers a publication gives are here (docs/outcomes.md lists each with its source).
The licensed instruments' wording is not: the instance's owner supplies it.
"""

from __future__ import annotations

from kneecap.core.outcomes.model import (
    Citation,
    ImportantChange,
    Instrument,
    Item,
    Scale,
    Scoring,
    TextSource,
)

_OWNER_KOOS = (
    "KOOS and its derivatives need the distributor's permission and a fee for commercial and "
    "healthcare users: the item text comes from the instance's owner under their own licence."
)

KOOS_SCORING = Citation(
    authors="koos.nu",
    title="KOOS scoring 2012 (each subscale 100 − mean item ÷ 4 × 100; at least half answered)",
    where="koos.nu, August 2012",
    year=2012,
)
KOOS_12_PAPER = Citation(
    authors="Gandek B, Roos EM, Franklin PD, Ware JE Jr",
    title=(
        "A 12-item short form of the Knee injury and Osteoarthritis Outcome Score (KOOS-12): "
        "tests of reliability, validity and responsiveness"
    ),
    where="Osteoarthritis Cartilage 2019;27(5):762–770",
    year=2019,
)
KOOS_PF_PAPER = Citation(
    authors="Crossley KM, Macri EM, Cowan SM, Collins NJ, Roos EM",
    title=(
        "The patellofemoral pain and osteoarthritis subscale of the KOOS (KOOS-PF): "
        "development and validation using the COSMIN checklist"
    ),
    where="Br J Sports Med 2018;52(17):1130–1136",
    year=2018,
    doi="10.1136/bjsports-2016-096776",
)
KUJALA_PAPER = Citation(
    authors="Kujala UM, Jaakkola LH, Koskinen SK, Taimela S, Hurme M, Nelimarkka O",
    title="Scoring of patellofemoral disorders",
    where="Arthroscopy 1993;9(2):159–163",
    year=1993,
)
KUJALA_POINTS = Citation(
    authors="",
    title="Table of the Anterior Knee Pain Scale's items and option points (PMC10362729)",
    where="J Orthop 2023;42:54–62",
    year=2023,
    doi="10.1016/j.jor.2023.07.005",
)
CROSSLEY_2004 = Citation(
    authors="Crossley KM, Bennell KL, Cowan SM, Green S",
    title=(
        "Analysis of outcome measures for persons with patellofemoral pain: "
        "which are reliable and valid?"
    ),
    where="Arch Phys Med Rehabil 2004;85(5):815–822",
    year=2004,
    doi="10.1016/S0003-9993(03)00613-0",
)
PSFS_PAPER = Citation(
    authors="Stratford P, Gill C, Westaway M, Binkley J",
    title=(
        "Assessing disability and change on individual patients: "
        "a report of a patient specific measure"
    ),
    where="Physiotherapy Canada 1995;47(4):258–263",
    year=1995,
)
PSFS_MID = Citation(
    authors="Abbott JH, Schmitt JS",
    title=(
        "Minimum important differences for the Patient-Specific Functional Scale, "
        "4 region-specific outcome measures, and the Numeric Pain Rating Scale"
    ),
    where="J Orthop Sports Phys Ther 2014;44(8):560–564",
    year=2014,
    doi="10.2519/jospt.2014.5248",
)
SANE_MCID = Citation(
    authors="Winterstein AP, McGuine TA, Carr KE, Hetzel SJ",
    title=(
        "Comparison of IKDC and SANE outcome measures following knee injury "
        "in active female patients"
    ),
    where="Sports Health 2013;5(6):523–529",
    year=2013,
)

SANE = Instrument(
    id="sane",
    name="Knee rating (percentage of normal, SANE-style)",
    items=(Item("knee", 0, 100, labelled=False),),
    scales=(Scale("score", (0,), 1),),
    scoring=Scoring.VALUE,
    score_range=(0, 100),
    higher_answer_is_better=True,
    text_source=TextSource.KNEECAP,
    licence_note="A single question in kneecap's own words; free to use.",
    sources=(),
    important_changes=(
        ImportantChange(7, "score", "young active women after a knee injury, 6 months", SANE_MCID),
        ImportantChange(19, "score", "the same cohort, 12 months", SANE_MCID),
    ),
)

PSFS = Instrument(
    id="psfs",
    name="Patient-Specific Functional Scale",
    items=tuple(Item(f"activity-{n}", 0, 10, labelled=False) for n in (1, 2, 3)),
    scales=(Scale("score", (0, 1, 2), 1),),
    scoring=Scoring.MEAN,
    score_range=(0, 10),
    higher_answer_is_better=True,
    text_source=TextSource.KNEECAP,
    licence_note=(
        "Free to use; kneecap's own wording of the prompt. The activities are the runner's own "
        "words."
    ),
    sources=(PSFS_PAPER,),
    important_changes=(
        ImportantChange(
            1.3,
            "score",
            "small change, 1,708 physiotherapy patients (2.3 medium, 2.7 large)",
            PSFS_MID,
        ),
    ),
    min_items=1,
    text_items=1,  # one prompt, asked for each activity the runner names
)


def _koos_items(scale: str, count: int) -> tuple[Item, ...]:
    return tuple(Item(f"{scale}-{n}", 0, 4) for n in range(1, count + 1))


KOOS_12 = Instrument(
    id="koos-12",
    name="KOOS-12",
    items=_koos_items("pain", 4) + _koos_items("function", 4) + _koos_items("quality_of_life", 4),
    scales=(
        Scale("pain", (0, 1, 2, 3), 2),
        Scale("function", (4, 5, 6, 7), 2),
        Scale("quality_of_life", (8, 9, 10, 11), 2),
    ),
    scoring=Scoring.KOOS,
    score_range=(0, 100),
    higher_answer_is_better=False,
    text_source=TextSource.OWNER,
    licence_note=_OWNER_KOOS,
    sources=(KOOS_12_PAPER, KOOS_SCORING),
    summary="summary",
)

KOOS_PF = Instrument(
    id="koos-pf",
    name="KOOS-PF (patellofemoral pain and osteoarthritis subscale)",
    items=_koos_items("patellofemoral", 11),
    scales=(Scale("score", tuple(range(11)), 6),),
    scoring=Scoring.KOOS,
    score_range=(0, 100),
    higher_answer_is_better=False,
    text_source=TextSource.OWNER,
    licence_note=_OWNER_KOOS,
    sources=(KOOS_PF_PAPER, KOOS_SCORING),
    important_changes=(
        ImportantChange(16.4, "score", "patellofemoral pain and osteoarthritis", KOOS_PF_PAPER),
    ),
)

# The published points of each option, best option first (option index 0).
_KUJALA_POINTS = (
    ("limp", (5, 3, 0)),
    ("support", (5, 3, 0)),
    ("walking", (5, 3, 2, 0)),
    ("stairs", (10, 8, 5, 0)),
    ("squatting", (5, 4, 3, 2, 0)),
    ("running", (10, 8, 6, 3, 0)),
    ("jumping", (10, 7, 2, 0)),
    ("prolonged-sitting", (10, 8, 6, 4, 0)),
    ("pain", (10, 8, 6, 3, 0)),
    ("swelling", (10, 8, 6, 4, 0)),
    ("kneecap-movements", (10, 6, 4, 2, 0)),
    ("thigh-atrophy", (5, 3, 0)),
    ("flexion-deficiency", (5, 3, 0)),
)

KUJALA = Instrument(
    id="kujala",
    name="Anterior Knee Pain Scale (Kujala)",
    items=tuple(Item(key, 0, len(p) - 1, points=p) for key, p in _KUJALA_POINTS),
    scales=(Scale("score", tuple(range(13)), 13),),
    scoring=Scoring.POINTS,
    score_range=(0, 100),
    higher_answer_is_better=False,  # option 0 is the best; later options carry fewer points
    text_source=TextSource.OWNER,
    licence_note=(
        "The wording is copyrighted: the item text comes from the instance's owner under their "
        "own licence. The option points are scoring and ship with kneecap."
    ),
    sources=(KUJALA_PAPER, KUJALA_POINTS),
    important_changes=(
        ImportantChange(10, "score", "patellofemoral pain, conservative treatment", CROSSLEY_2004),
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in (SANE, PSFS, KOOS_12, KOOS_PF, KUJALA)}
