"""Safety screening before and during the program (evidence brief §6, rules 34–37).

The questions have stable ids (the web wizard, the API and ``kneecap plan --profile`` use
them). ``assess`` turns yes/no answers into what the plan must do: stop (urgent), pause a
leg (see a clinician soon), keep loaded and deep knee-bend work out until cleared, or advise
a talk with a doctor. The words state a reason and an action; they never name a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Group(StrEnum):
    PRE_EXERCISE = "pre-exercise"  # rule 34: PAR-Q+-style
    KNEE_HISTORY = "knee-history"  # §6.1: clearance before loaded or deep-flexion work
    ACUTE_INJURY = "acute-injury"  # rule 35: Ottawa-style self-report proxies
    URGENT = "urgent"  # rule 36: seek care today
    SEE_SOON = "see-soon"  # rule 37: pause that leg, see a clinician


class Leg(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class ScreeningError(ValueError):
    """Answers that name a question kneecap does not ask."""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    group: Group
    question: str
    label: str  # a short noun phrase for messages: "a knee that keeps giving way"
    leg: Leg | None = None

    def as_dict(self) -> dict[str, str | None]:
        leg = self.leg.value if self.leg else None
        return {"id": self.id, "group": self.group.value, "question": self.question, "leg": leg}


# Ottawa items only count after a recent knee injury (rule 35); this is that gate.
ACUTE_GATE = "acute_injury_7d"
KNEE_CLEARED = "knee_cleared"

_PRE = (
    (
        "pre_heart",
        "Do you have a heart condition or high blood pressure that a doctor has told you about?",
        "a heart condition or high blood pressure",
    ),
    (
        "pre_chest_pain",
        "Does your chest ever hurt, whether resting, going about your day or exercising?",
        "chest pain",
    ),
    (
        "pre_dizziness",
        "In the past 12 months, has dizziness made you fall or stumble, or have you fainted?",
        "dizziness or fainting",
    ),
    (
        "pre_bone_joint",
        "Could more exercise make a problem with your bones, joints or muscles worse?",
        "a bone, joint or muscle problem",
    ),
    (
        "pre_heart_medication",
        "Do you take medicine for your blood pressure or your heart?",
        "medicine for blood pressure or the heart",
    ),
    ("pre_pregnant", "Are you pregnant?", "a pregnancy"),
    (
        "pre_doctor_advised",
        "Has a doctor told you, for any other reason, to avoid or limit physical activity?",
        "a doctor's advice to limit activity",
    ),
)
_KNEE = (
    (
        "knee_surgery_12m",
        "Have you had knee surgery (for example an ACL reconstruction) in the last 12 months?",
        "knee surgery in the last 12 months",
    ),
    ("knee_replacement", "Do you have a knee replacement?", "a knee replacement"),
    (
        "knee_condition_treated",
        "Is a knee condition diagnosed by a clinician being treated right now?",
        "a knee condition under treatment",
    ),
    (
        "knee_injection_6w",
        "Have you had an injection into a knee in the last 6 weeks?",
        "a knee injection in the last 6 weeks",
    ),
    (
        KNEE_CLEARED,
        "If you answered yes to a knee question above: has a doctor or "
        "physiotherapist cleared you for loaded and deep knee-bend exercises?",
        "clearance",
    ),
)
_ACUTE = (
    (
        ACUTE_GATE,
        "Did you hurt a knee in a fall, twist or knock in the last 7 days?",
        "a knee injury in the last 7 days",
    ),
    ("acute_age_55", "Are you 55 or older?", "being 55 or older"),
    (
        "acute_fibula_tender",
        "Since the injury, does pressing the bony bump on the outside "
        "of the leg just below the knee hurt?",
        "a tender bone below the outside of the knee",
    ),
    (
        "acute_kneecap_tender",
        "Since the injury, does pressing on the kneecap itself hurt?",
        "a tender kneecap",
    ),
    (
        "acute_cannot_bend",
        "Since the injury, are you unable to bend the knee to a right angle?",
        "a knee that cannot bend to a right angle",
    ),
    (
        "acute_cannot_walk",
        "Since the injury, are you unable to take 4 steps on that leg, even with a limp?",
        "being unable to take 4 steps",
    ),
)
_URGENT = (
    (
        "urgent_pop_swelling",
        "Did a knee go 'pop' and swell up within about 2 hours, or feel unstable straight away?",
        "a pop with fast swelling or instability",
    ),
    (
        "urgent_locked",
        "Is a knee stuck so that you cannot straighten it fully, as if something blocks it?",
        "a knee that is stuck and will not straighten",
    ),
    (
        "urgent_hot_knee",
        "Is a knee hot, red and swollen while you have a fever, chills or feel unwell?",
        "a hot, swollen knee with fever or feeling unwell",
    ),
    (
        "urgent_no_weight",
        "Are you unable to put weight on a leg or to move a knee?",
        "being unable to bear weight or move the knee",
    ),
    ("urgent_deformity", "Does a knee or leg look out of shape?", "a leg that looks out of shape"),
    (
        "urgent_calf",
        "Is a calf painful, swollen or red, especially after a long journey or an operation?",
        "a painful, swollen or red calf",
    ),
    ("urgent_foot", "Is a foot numb, tingling, cold or pale?", "a numb, cold or pale foot"),
    (
        "urgent_chest_exercise",
        "Have you had chest pain, fainted or been unusually out of breath while exercising?",
        "chest pain, fainting or unusual breathlessness on effort",
    ),
)
_SOON_LEG = (
    (
        "giving_way",
        "Does your {leg} knee keep giving way or feeling unstable?",
        "a knee that keeps giving way",
    ),
    (
        "catching",
        "Does your {leg} knee keep catching or locking for a moment?",
        "a knee that keeps catching",
    ),
    (
        "swelling",
        "Does your {leg} knee swell after training, or stay swollen?",
        "knee swelling that stays or returns",
    ),
    (
        "rest_pain",
        "Does your {leg} knee hurt at night or at rest, or in a way that has "
        "nothing to do with activity?",
        "knee pain at night or at rest",
    ),
    (
        "bone_pain",
        "Is there one tender spot on a bone of your {leg} leg, and does hopping on that leg hurt?",
        "a tender spot on a bone with pain on hopping",
    ),
    (
        "not_improving",
        "Has pain in your {leg} knee failed to get better over the last few weeks?",
        "knee pain that is not getting better",
    ),
)
_SOON_BODY = (
    (
        "soon_weight_fever",
        "Have you lost weight without trying, had a fever with no other cause, or ever had cancer?",
        "weight loss, fever or a history of cancer",
    ),
    (
        "soon_stiffness",
        "Are your joints stiff for more than 30 minutes in the morning, or "
        "are several joints swollen?",
        "long morning stiffness or several swollen joints",
    ),
    (
        "soon_under_18_hip",
        "Are you under 18 and have knee pain together with hip or thigh pain, or a limp?",
        "knee pain with hip or thigh pain under 18",
    ),
)


def _build() -> tuple[Question, ...]:
    plain = (
        (Group.PRE_EXERCISE, _PRE),
        (Group.KNEE_HISTORY, _KNEE),
        (Group.ACUTE_INJURY, _ACUTE),
        (Group.URGENT, _URGENT),
    )
    out = [Question(i, g, q, label) for g, rows in plain for i, q, label in rows]
    for key, text, label in _SOON_LEG:
        for leg in Leg:
            out.append(
                Question(f"soon_{key}_{leg}", Group.SEE_SOON, text.format(leg=leg), label, leg)
            )
    out.extend(Question(i, Group.SEE_SOON, q, label) for i, q, label in _SOON_BODY)
    return tuple(out)


QUESTIONS: tuple[Question, ...] = _build()
QUESTION_IDS: frozenset[str] = frozenset(q.id for q in QUESTIONS)
_BY_ID = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True, slots=True)
class Advice:
    """One outcome in words: why, and what to do."""

    group: Group
    reason: str
    action: str
    leg: Leg | None = None

    def text(self) -> str:
        return f"{self.reason} {self.action}"


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    blocked: Advice | None = None  # urgent or acute-injury flag: no plan (rules 35, 36)
    paused_legs: frozenset[Leg] = frozenset()  # rule 37: no program for these legs
    restrict_knee_loading: bool = False  # §6.1: no loaded or deep-flexion work until cleared
    advice: tuple[Advice, ...] = ()  # every outcome, most serious first

    @property
    def all_paused(self) -> bool:
        return self.paused_legs == frozenset(Leg)


def assess(answers: Mapping[str, bool]) -> ScreeningResult:
    """What the answers mean for the plan; unanswered questions count as "no"."""
    unknown = sorted(set(answers) - QUESTION_IDS)
    if unknown:
        raise ScreeningError(f"unknown screening question id(s): {', '.join(unknown)}")
    yes = {k for k, v in answers.items() if v}
    urgent = _urgent(yes)
    soon = _see_soon(yes)
    knee = _knee_history(yes)
    pre = _pre_exercise(yes)
    injury = _recent_injury(yes) if urgent is None else None
    advice = tuple(a for a in (urgent, *soon, injury, knee, pre) if a is not None)
    return ScreeningResult(
        blocked=urgent,
        paused_legs=frozenset(a.leg for a in soon if a.leg) | _body_pause(soon),
        restrict_knee_loading=knee is not None,
        advice=advice,
    )


def _labels(ids: list[str]) -> str:
    labels = [_BY_ID[i].label for i in ids]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _asked(group: Group, yes: set[str]) -> list[str]:
    return [q.id for q in QUESTIONS if q.group is group and q.id in yes]


def _urgent(yes: set[str]) -> Advice | None:
    urgent = _asked(Group.URGENT, yes)
    acute = _ottawa(yes)
    if not urgent and not acute:
        return None
    # rule 36 first: it is the more pressing action; rule 35 otherwise
    if urgent:
        extra = ""
        if {"urgent_hot_knee", "urgent_calf", "urgent_chest_exercise"} & yes:
            extra = " If you feel very unwell, have chest pain or struggle to breathe, call "
            extra += "emergency services now."
        return Advice(
            Group.URGENT,
            f"You reported {_labels(urgent)}. Signs like these need a medical check today.",
            "Please get care today (urgent care or an emergency department) and stop the "
            "knee program until you have been examined." + extra,
        )
    return Advice(
        Group.ACUTE_INJURY,
        f"After a recent knee injury you reported {_labels(acute)}. An injury with these "
        "signs needs a clinician's examination.",
        "Please go to urgent care before you train that knee again; rest it until then.",
    )


def _ottawa(yes: set[str]) -> list[str]:
    # rule 35: the Ottawa items only apply after an acute injury; a "no" clears nothing
    if ACUTE_GATE not in yes:
        return []
    return [i for i in _asked(Group.ACUTE_INJURY, yes) if i != ACUTE_GATE]


def _recent_injury(yes: set[str]) -> Advice | None:
    if ACUTE_GATE not in yes:
        return None
    return Advice(
        Group.ACUTE_INJURY,
        "You hurt a knee in the last 7 days; these questions cannot rule out an injury.",
        "If it swells, locks, gives way or you cannot walk on it, have it checked.",
    )


def _see_soon(yes: set[str]) -> list[Advice]:
    asked = _asked(Group.SEE_SOON, yes)
    out = []
    for leg in (Leg.LEFT, Leg.RIGHT, None):
        ids = [i for i in asked if _BY_ID[i].leg is leg]
        if not ids:
            continue
        where = f"your {leg} leg" if leg else "both legs"
        out.append(
            Advice(
                Group.SEE_SOON,
                f"You reported {_labels(ids)}. A clinician should look at this soon.",
                f"The knee program for {where} is paused: please see a doctor or "
                "physiotherapist in the coming days. Other training can go on if it is "
                "pain-free.",
                leg,
            )
        )
    return out


def _body_pause(soon: list[Advice]) -> frozenset[Leg]:
    # a flag about the whole body pauses both legs (rule 37)
    return frozenset(Leg) if any(a.leg is None for a in soon) else frozenset()


def _knee_history(yes: set[str]) -> Advice | None:
    history = [i for i in _asked(Group.KNEE_HISTORY, yes) if i != KNEE_CLEARED]
    if not history or KNEE_CLEARED in yes:
        return None
    return Advice(
        Group.KNEE_HISTORY,
        f"You reported {_labels(history)}.",
        "Loaded and deep knee-bend exercises stay out of your plan until a doctor or "
        "physiotherapist clears them; tell kneecap when they have.",
    )


def _pre_exercise(yes: set[str]) -> Advice | None:
    pre = _asked(Group.PRE_EXERCISE, yes)
    if not pre:
        return None
    # rule 34: any yes → talk with a doctor before starting
    return Advice(
        Group.PRE_EXERCISE,
        f"You answered yes to a health question ({_labels(pre)}).",
        "Please talk with your doctor before you start this program.",
    )
