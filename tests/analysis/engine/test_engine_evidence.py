"""Evidence-rich answers: cues with no flags, the analysts' flags learnt once there are some."""

from __future__ import annotations

from moot.analysis.engine import (
    AnalystState,
    EvidenceCoding,
    QuestionKind,
    QuestionSpec,
    ResponseInput,
    run_analysis,
)
from moot.analysis.engine.evidence import evidence_kinds

QID = "q"
QUESTION = QuestionSpec(id=QID, kind=QuestionKind.FREE_TEXT, text="Your views?")


def test_each_kind_of_evidence_is_recognised() -> None:
    assert evidence_kinds("Problem gambling rose by 12% last year.") == ("figures",)
    assert evidence_kinds("It costs £40 a week.") == ("figures",)
    assert evidence_kinds("According to the Gambling Commission it is rising.") == ("sources",)
    assert evidence_kinds("A 2019 study found more harm among young men.") == ("sources",)
    assert evidence_kinds("As a parent I see my son watching these adverts.") == ("experience",)
    assert evidence_kinds("Our members report more calls to our helpline.") == ("organisation",)
    assert evidence_kinds("I think the ban is a good idea.") == ()
    assert evidence_kinds("We should ban them.") == ()


def _responses() -> list[ResponseInput]:
    texts = [f"I simply feel adverts are everywhere now, point {i}." for i in range(20)]
    texts += [
        f"Our helpline took {100 + i}0 calls about betting debts this year." for i in range(10)
    ]
    texts += [f"At the food bank I run, families bring betting debts, case {i}." for i in range(10)]
    return [ResponseInput(id=f"r{i}", answers={QID: t}) for i, t in enumerate(texts)]


def test_cues_flag_answers_and_name_their_kinds() -> None:
    result = run_analysis(questions=[QUESTION], responses=_responses())
    evidence = result.free_text_questions[QID].evidence
    assert evidence is not None
    assert evidence.model == "cues"
    flagged = {f.response_id: f for f in evidence.flags}
    assert "r0" not in flagged
    assert flagged["r20"].kinds == ("figures", "organisation")
    assert flagged["r20"].source == "text"
    assert "r30" not in flagged  # nothing in the words says evidence ...


def test_analysts_flags_are_learnt_and_override() -> None:
    responses = _responses()
    # ... until analysts flag some of those answers as first-hand evidence
    codings = (
        *(
            EvidenceCoding(question_id=QID, response_id=f"r{i}", has_evidence=i >= 30)
            for i in (*range(0, 6), *range(30, 36))
        ),
        EvidenceCoding(question_id=QID, response_id="r21", has_evidence=False),
    )
    result = run_analysis(
        questions=[QUESTION],
        responses=responses,
        analyst_state=AnalystState(evidence_codings=codings),
    )
    evidence = result.free_text_questions[QID].evidence
    assert evidence is not None
    assert evidence.model == "classifier"
    flagged = {f.response_id: f for f in evidence.flags}
    assert flagged["r30"].source == "coded"
    assert {f"r{i}" for i in range(36, 40)} <= set(flagged)  # learnt from the flags
    assert not {f"r{i}" for i in range(6, 20)} & set(flagged)
    assert "r21" not in flagged  # the analyst said no
    again = type(result).from_dict(result.to_dict())
    assert again == result
