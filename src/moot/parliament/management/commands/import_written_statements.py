from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.written_statements import written_statements_import


class Command(ImportCommand):
    help = (
        "Import UK Parliament written-statements API JSON (files or folders): statements "
        "with their attachments and linked statements. Idempotent and resumable."
    )
    service = staticmethod(written_statements_import)
