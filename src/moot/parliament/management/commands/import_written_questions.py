from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.written_questions import written_questions_import


class Command(ImportCommand):
    help = (
        "Import UK Parliament written-questions API JSON (single records or list responses), "
        "with holding answers, corrections, grouped questions and attachments. Idempotent."
    )
    service = staticmethod(written_questions_import)
