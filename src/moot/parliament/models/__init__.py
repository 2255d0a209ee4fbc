"""parliament's models: people and their offices, written questions and answers, written
ministerial statements, debates, votes and import progress. Import them from here."""

from moot.parliament.models.debates import DebateLocation, DebateRedirect, DebateSection, Speech
from moot.parliament.models.imports import ImportedFile, Importer, ImportStatus
from moot.parliament.models.people import (
    Constituency,
    House,
    Membership,
    Party,
    Person,
    Post,
    person_photo_upload_to,
)
from moot.parliament.models.photos import MemberPhoto
from moot.parliament.models.postcodes import Postcode
from moot.parliament.models.questions import (
    RedirectKind,
    WrittenAnswer,
    WrittenAnswerAttachment,
    WrittenAnswerRevision,
    WrittenQuestion,
    WrittenQuestionRedirect,
    WrittenQuestionRevision,
)
from moot.parliament.models.statements import (
    StatementLinkKind,
    WrittenStatement,
    WrittenStatementAttachment,
    WrittenStatementLink,
    WrittenStatementRedirect,
    WrittenStatementRevision,
)
from moot.parliament.models.votes import AnswerVote

__all__ = [
    "AnswerVote",
    "Constituency",
    "DebateLocation",
    "DebateRedirect",
    "DebateSection",
    "House",
    "ImportStatus",
    "ImportedFile",
    "Importer",
    "MemberPhoto",
    "Membership",
    "Party",
    "Person",
    "Post",
    "Postcode",
    "RedirectKind",
    "Speech",
    "StatementLinkKind",
    "WrittenAnswer",
    "WrittenAnswerAttachment",
    "WrittenAnswerRevision",
    "WrittenQuestion",
    "WrittenQuestionRedirect",
    "WrittenQuestionRevision",
    "WrittenStatement",
    "WrittenStatementAttachment",
    "WrittenStatementLink",
    "WrittenStatementRedirect",
    "WrittenStatementRevision",
    "person_photo_upload_to",
]
